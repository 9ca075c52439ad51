import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MemberInfo } from '../../shared/events.js';
import type { HistoryRecord } from '../history/history-store.js';
import type { SharedMessage } from '../room/room-link.js';

/** Entries per XREAD: a burst is delivered in batches, each in one event-loop turn. */
const READ_COUNT = 1000;
/** XREAD's block: short enough that a history reset (new epoch) is picked up within it. */
const BLOCK_MS = 1000;

type StreamEntry = [id: string, fields: string[]];

/** One stream entry as a message, or null if it is not one of ours (another version, garbage). */
export function parseEntry([entryId, fields]: StreamEntry): SharedMessage | null {
  const id = Number.parseInt(entryId, 10);
  const raw = fields[1];
  if (!Number.isSafeInteger(id) || fields[0] !== 'm' || raw === undefined) return null;
  try {
    const value = JSON.parse(raw) as Partial<SharedMessage>;
    const from = value.from as Partial<MemberInfo> | undefined;
    if (
      (value.kind !== 'chat' && value.kind !== 'action') ||
      typeof value.time !== 'number' ||
      typeof value.text !== 'string' ||
      typeof value.instance !== 'string' ||
      typeof from?.id !== 'number' ||
      typeof from.name !== 'string'
    ) {
      return null;
    }
    return { id, kind: value.kind, time: value.time, text: value.text, from: value.from!, instance: value.instance };
  } catch {
    return null;
  }
}

function toRecord(message: SharedMessage): HistoryRecord {
  return { id: message.id, time: message.time, kind: message.kind, from: message.from.name, fromId: message.from.id, text: message.text };
}

/**
 * Reads the shared room's stream on its own connection (XREAD blocks it) and hands every
 * message, in stream order, to `deliver`. It never gives up: after an error it waits for the
 * connection to come back and reads on from the last id it delivered, so nothing published while
 * this instance was cut off is skipped.
 */
export class SharedLogReader {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly log: Logger;
  private readonly deliver: (message: SharedMessage) => void;
  private lastId = 0;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(redis: Redis, key: string, log: Logger, deliver: (message: SharedMessage) => void) {
    this.redis = redis;
    this.key = key;
    this.log = log;
    this.deliver = deliver;
    redis.on('error', function readerRedisError() {
      // Connection errors surface as failed reads below; the link logs state changes.
    });
  }

  /** The newest `count` messages as history records, oldest first (loaded at start-up). */
  async newest(count: number): Promise<HistoryRecord[]> {
    if (this.redis.status === 'wait') await this.redis.connect();
    const entries = (await this.redis.xrevrange(this.key, '+', '-', 'COUNT', count)) as StreamEntry[];
    const records: HistoryRecord[] = [];
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const message = parseEntry(entries[i]!);
      if (message !== null) records.push(toRecord(message));
    }
    return records;
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
