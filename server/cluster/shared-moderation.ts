import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MemberInfo } from '../../shared/events.js';
import { type ModerationState, parseModerationState } from '../history/moderation-record.js';
import type { ModerationChange } from '../hub/cluster-link.js';
import type { RoomRef } from '../message/outgoing-message.js';
import { RecordWriter, scanHash } from './hash-records.js';
import type { PresenceEvent } from './presence-events.js';
import type { RedisKeys } from './redis-keys.js';
import { memberOf, roomOf } from './wire-values.js';

/**
 * Every room's operators, bans, mutes and locks in one hash (`PREFIX moderation`: room key → JSON
 * state), so all instances enforce the same ones and a restarted instance (or one that opens the
 * room later) finds them. A change replaces the room's whole entry and is published with the state
 * itself: pub/sub may lose an event, and the next change, or the re-read after a reconnect, heals
 * it. The last change written wins; a change made while Redis was unreachable is written on
 * reconnect, before this instance reads the others' (so two operators changing one room on both
 * sides of a split keep the one that reconnects last: docs/scale-out.md).
 */
export class SharedModeration {
  /** Changes made here, kept while Redis is away and written on reconnect (without announcements: they were made here). */
  private readonly writer: RecordWriter<{ room: RoomRef; state: ModerationState }>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly instance: string,
    private readonly log: Logger,
    writable: () => boolean,
  ) {
    this.writer = new RecordWriter('moderation', writable, log, ({ room, state }) => this.send(room, state, null));
  }

  /** Marks now, for `changedSince`. */
  get mark(): number {
    return this.writer.marks.mark;
  }

  /** Whether a room's moderation changed (here or by an event) after `mark`: an older re-read must not undo it. */
  changedSince(key: string, mark: number): boolean {
    return this.writer.marks.changedSince(key, mark);
  }

  noteChange(key: string): void {
    this.writer.marks.note(key);
  }

  /** A change made here: the entry replaced, every instance told (with `change` to announce, if any). */
  changed(room: RoomRef, state: ModerationState, change: ModerationChange | null): void {
    this.writer.changed(room.key, { room: roomOf(room), state }, (pending) => this.send(pending.room, pending.state, change));
  }

  /** Tells the instance holding `target` to remove it (nothing is stored: a kick is an act, not a state). */
  kick(room: RoomRef, target: number, by: MemberInfo, reason: string): void {
    const event: PresenceEvent = { type: 'kick', instance: this.instance, room: roomOf(room), target, by: memberOf(by), reason };
    this.redis.publish(this.keys.presence, JSON.stringify(event)).catch((error: unknown) => {
      this.log.debug({ err: error, room: room.key }, 'kick not published');
    });
  }

  /** Reconnected: what changed here meanwhile goes out (without announcements: they were made here). */
  sendUnsent(): Promise<void> {
    return this.writer.sendUnsent();
  }

  /** Every room's entry, read in batches (HSCAN), so a large hash does not block Redis. */
  async loadAll(): Promise<{ key: string; state: ModerationState }[]> {
    const out: { key: string; state: ModerationState }[] = [];
    await scanHash(this.redis, this.keys.moderation, (key, raw) => {
      const state = parseModerationState(raw);
      if (state !== undefined && key.startsWith('#')) out.push({ key, state });
      else this.log.warn({ room: key }, 'skipping a malformed moderation entry in Redis');
    });
    return out;
  }

  private async send(room: RoomRef, state: ModerationState, change: ModerationChange | null): Promise<void> {
    const event: PresenceEvent = { type: 'moderation', instance: this.instance, room, state, change: change === null ? null : { ...change, setter: memberOf(change.setter) } };
    await this.redis.multi().hset(this.keys.moderation, room.key, JSON.stringify(state)).publish(this.keys.presence, JSON.stringify(event)).exec();
  }
}
