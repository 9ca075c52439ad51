import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StoredRoom } from '../history/history-store.js';
import type { RoomRef } from '../message/outgoing-message.js';
import { ChangeMarks, scanHash } from './hash-records.js';
import type { PresenceEvent } from './presence-events.js';
import type { RedisKeys } from './redis-keys.js';
import { parseJson, roomOf } from './wire-values.js';

/**
 * What every instance shows for a room, in one hash (`PREFIX rooms`: key → `{"name","topic"}`),
 * so all agree and a restarted instance finds it. A room made here is written only if no instance
 * wrote it first (HSETNX: the first creator's spelling wins); a topic set here replaces the
 * entry and is published, so the others show it at once. A topic set while Redis was unreachable
 * is kept and written on reconnect, before this instance re-reads the others'.
 */
export class SharedRooms {
  /** Rooms whose topic changed here while Redis could not be told: written on reconnect. */
  private readonly unsent = new Map<string, StoredRoom>();
  /** Rooms made here while Redis could not be told: written (if still new there) on reconnect. */
  private readonly uncreated = new Map<string, StoredRoom>();
  /** Topic changes seen (made here or told by an event), for `changedSince`. */
  private readonly marks = new ChangeMarks();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly instance: string,
    private readonly log: Logger,
    private readonly writable: () => boolean,
  ) {}

  /** A room made here: written unless another instance made it first (on reconnect if Redis is away). */
  created(room: StoredRoom): void {
    if (!this.writable()) {
      this.uncreated.set(room.key, room);
      return;
    }
    this.redis.hsetnx(this.keys.rooms, room.key, entry(room)).catch((error: unknown) => {
      this.log.debug({ err: error, room: room.key }, 'room not written to Redis; written on reconnect');
      this.uncreated.set(room.key, room);
    });
  }

  /** Marks now, for `changedSince`. */
  get mark(): number {
    return this.marks.mark;
  }

  /**
   * Whether a room's topic changed (here, or by an event from another instance) after `mark`: a
   * re-read of the hash that started before must not put the older topic it read back over it.
   */
  changedSince(key: string, mark: number): boolean {
    return this.marks.changedSince(key, mark);
  }

  /** A topic changed: here, or another instance said so. */
  noteChange(key: string): void {
    this.marks.note(key);
  }

  /** A topic set here: the entry replaced, and every instance told. */
  topicChanged(room: RoomRef, topic: string): void {
    this.noteChange(room.key);
    const stored: StoredRoom = { key: room.key, name: room.name, topic };
    if (!this.writable()) {
      this.unsent.set(room.key, stored);
      return;
    }
    this.send(stored).catch((error: unknown) => {
      this.log.debug({ err: error, room: room.key }, 'topic not written to Redis; written on reconnect');
      this.unsent.set(room.key, stored);
    });
  }

  /** Reconnected: the rooms made and topics set here meanwhile go out (the last topic set anywhere wins). */
  async sendUnsent(): Promise<void> {
    const made = [...this.uncreated.values()];
    if (made.length > 0) await this.rewrite(made);
    for (const room of made) if (this.uncreated.get(room.key) === room) this.uncreated.delete(room.key);
    for (const [key, stored] of [...this.unsent]) {
      await this.send(stored);
      if (this.unsent.get(key) === stored) this.unsent.delete(key);
    }
  }

  /** Redis lost its data: the rooms this instance knows are written again (where no other instance did). */
  async rewrite(rooms: readonly StoredRoom[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const room of rooms) pipeline.hsetnx(this.keys.rooms, room.key, entry(room));
    await pipeline.exec();
  }

  /** Every room's entry, read in batches (HSCAN), so a large hash does not block Redis. */
  async loadAll(): Promise<StoredRoom[]> {
    const out: StoredRoom[] = [];
    await scanHash(this.redis, this.keys.rooms, (key, raw) => {
      const room = parseEntry(key, raw);
      if (room !== null) out.push(room);
    });
    return out;
  }

  private async send(stored: StoredRoom): Promise<void> {
    const event: PresenceEvent = { type: 'topic', instance: this.instance, room: roomOf(stored), topic: stored.topic };
    await this.redis.multi().hset(this.keys.rooms, stored.key, entry(stored)).publish(this.keys.presence, JSON.stringify(event)).exec();
  }
}

function entry(room: StoredRoom): string {
  return JSON.stringify({ name: room.name, topic: room.topic });
}

function parseEntry(key: string, raw: string): StoredRoom | null {
  const value = parseJson(raw) as Partial<Record<string, unknown>> | undefined;
  if (typeof value !== 'object' || value === null || typeof value['name'] !== 'string' || typeof value['topic'] !== 'string' || !key.startsWith('#')) return null;
  return { key, name: value['name'], topic: value['topic'] };
}
