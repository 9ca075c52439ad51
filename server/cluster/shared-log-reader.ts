import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { HistoryRecord } from '../history/history-store.js';
import type { SharedMessage } from '../hub/cluster-link.js';
import { isMemberInfo, isRoomRef, parseJson } from './wire-values.js';

/** Entries per XREAD: a burst is delivered in batches, each in one event-loop turn. */
const READ_COUNT = 1000;
/** XREAD's block: short enough that a history reset (new epoch) is picked up within it. */
export const BLOCK_MS = 1000;

type StreamEntry = [id: string, fields: string[]];

/** A message as read from the stream, with the nonce its instance gave it (null: none). */
export interface StreamMessage extends SharedMessage {
  nonce: number | null;
}

/** One stream entry as a message, or null if it is not one of ours (another version, garbage). */
export function parseEntry([entryId, fields]: StreamEntry): StreamMessage | null {
  const id = Number.parseInt(entryId, 10);
  const raw = fields[1];
  if (!Number.isSafeInteger(id) || fields[0] !== 'm' || raw === undefined) return null;
  const value = parseJson(raw);
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Partial<Record<string, unknown>>;
  const { room, kind, time, text, from, instance, n } = entry;
  if (!isRoomRef(room) || (kind !== 'chat' && kind !== 'action') || typeof time !== 'number' || typeof text !== 'string' || typeof instance !== 'string' || !isMemberInfo(from)) {
    return null;
  }
  const nonce = typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
  return { room: { key: room.key, name: room.name }, id, kind, time, text, from: { id: from.id, name: from.name, transport: from.transport }, instance, nonce };
}

export function toRecord(message: SharedMessage): HistoryRecord {
  return { id: message.id, time: message.time, kind: message.kind, from: message.from.name, fromId: message.from.id, text: message.text };
}

/**
 * Reads the stream of every room on its own connection (XREAD blocks it) and hands every
 * message, in stream order, to `deliver`: one read serves any number of rooms. It never gives up: after an error it waits for the
 * connection to come back and reads on from the last id it delivered, so nothing published while
 * this instance was cut off is skipped.
 */
export class SharedLogReader {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly log: Logger;
  private readonly deliver: (message: StreamMessage) => void;
  private lastId = 0;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(redis: Redis, key: string, log: Logger, deliver: (message: StreamMessage) => void) {
    this.redis = redis;
    this.key = key;
    this.log = log;
    this.deliver = deliver;
    redis.on('error', function readerRedisError() {
      // Connection errors surface as failed reads below; the link logs state changes.
    });
  }

  /**
   * Reads the stream backwards, newest first, a batch at a time, handing each message to
   * `accept` until it returns false or the stream ends (start-up: the mirror takes what fits).
   * Returns the newest entry's id (0: the stream is empty), where live reading starts.
   */
  async readBack(accept: (message: StreamMessage) => boolean): Promise<number> {
    if (this.redis.status === 'wait') await this.redis.connect();
    let newest = 0;
    let end = '+';
    for (;;) {
      const entries = (await this.redis.xrevrange(this.key, end, '-', 'COUNT', READ_COUNT)) as StreamEntry[];
      for (const entry of entries) {
        const id = Number.parseInt(entry[0], 10);
        if (newest === 0 && Number.isSafeInteger(id)) newest = id;
        const message = parseEntry(entry);
        if (message !== null && !accept(message)) return newest;
      }
      const last = entries.at(-1);
      if (last === undefined || entries.length < READ_COUNT) return newest;
      end = `(${last[0]}`;
    }
  }

  start(afterId: number): void {
    this.lastId = afterId;
    this.running = this.loop();
  }

  /** The history was replaced (new epoch): read it from its start. */
  restartFrom(afterId: number): void {
    this.lastId = afterId;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.disconnect();
    await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const reply = (await this.redis.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', this.key, `${this.lastId}-0`)) as
          | [string, StreamEntry[]][]
          | null;
        failures = 0;
        for (const [, entries] of reply ?? []) this.deliverAll(entries);
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        if (failures === 1) this.log.debug({ err: error }, 'reading the shared stream failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * failures)));
      }
    }
  }

  private deliverAll(entries: StreamEntry[]): void {
    for (const entry of entries) {
      const message = parseEntry(entry);
      const id = Number.parseInt(entry[0], 10);
      if (Number.isSafeInteger(id) && id > this.lastId) this.lastId = id;
      if (message === null) {
        this.log.warn({ entry: entry[0] }, 'skipping a malformed entry in the shared stream');
        continue;
      }
      this.deliver(message);
    }
  }
}
