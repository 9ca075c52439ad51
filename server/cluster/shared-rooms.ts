import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StoredRoom } from '../history/history-store.js';
import type { RoomRef } from '../message/outgoing-message.js';
import { RecordWriter, scanHash } from './hash-records.js';
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
  /** Rooms made here while Redis could not be told: written (if still new there) on reconnect. */
  private readonly uncreated = new Map<string, StoredRoom>();
  /** Topics set here, kept while Redis is away and written on reconnect; changes seen, for `changedSince`. */
  private readonly topics: RecordWriter<StoredRoom>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly instance: string,
    private readonly log: Logger,
    private readonly writable: () => boolean,
  ) {
    this.topics = new RecordWriter('topic', writable, log, (stored) => this.send(stored));
  }

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
    return this.topics.marks.mark;
  }

  /**
   * Whether a room's topic changed (here, or by an event from another instance) after `mark`: a
   * re-read of the hash that started before must not put the older topic it read back over it.
   */
  changedSince(key: string, mark: number): boolean {
    return this.topics.marks.changedSince(key, mark);
  }

  /** A topic changed: here, or another instance said so. */
  noteChange(key: string): void {
    this.topics.marks.note(key);
  }

  /** A topic set here: the entry replaced, and every instance told. */
  topicChanged(room: RoomRef, topic: string): void {
    this.topics.changed(room.key, { key: room.key, name: room.name, topic });
  }

  /** Reconnected: the rooms made and topics set here meanwhile go out (the last topic set anywhere wins). */
  async sendUnsent(): Promise<void> {
    const made = [...this.uncreated.values()];
    if (made.length > 0) await this.rewrite(made);
    for (const room of made) if (this.uncreated.get(room.key) === room) this.uncreated.delete(room.key);
    await this.topics.sendUnsent();
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
