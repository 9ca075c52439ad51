import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Entries read per HSCAN call while loading a whole hash. */
const SCAN_COUNT = 1000;

/**
 * Every field of a Redis hash, read in batches (HSCAN), so a large one (10,000 rooms, accounts)
 * does not block Redis; `take` gets each field and its value.
 */
export async function scanHash(redis: Redis, key: string, take: (field: string, value: string) => void): Promise<void> {
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', SCAN_COUNT);
    for (let i = 0; i + 1 < flat.length; i += 2) take(flat[i]!, flat[i + 1]!);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * When each room's shared record (its topic, its moderation) last changed here, on one counter:
 * a re-read of the whole hash that started before a change (made here or told by an event) must
 * not put the older value it read back over the newer one.
 */
export class ChangeMarks {
  private changes = 0;
  private readonly lastChange = new Map<string, number>();

  /** Now, to compare against with `changedSince`. */
  get mark(): number {
    return this.changes;
  }

  changedSince(key: string, mark: number): boolean {
    return (this.lastChange.get(key) ?? 0) > mark;
  }

  note(key: string): void {
    this.changes += 1;
    this.lastChange.set(key, this.changes);
  }
}

/**
 * Writes one record per room (its topic, its moderation) to Redis; the last change per room wins.
 * A change made while Redis is unreachable, or whose write failed, is kept and written on
 * reconnect (`sendUnsent`); only the newest change per room is kept, and a write that fails after
 * a newer change (here, or told by an event) is not kept at all, so a late failure never puts an
 * older value back over a newer one. Every change, here or from an event, is noted in `marks`.
 */
export class RecordWriter<T> {
  readonly marks = new ChangeMarks();
  private readonly unsent = new Map<string, T>();

  constructor(
    /** What a failed write is logged as (`topic`, `moderation`). */
    private readonly what: string,
    private readonly writable: () => boolean,
    private readonly log: Logger,
    /** Writes a record as it is replayed on reconnect. */
    private readonly send: (value: T) => Promise<void>,
  ) {}

  /**
   * A change made here: written now (with `write`, which may say more than a replay does), or
   * kept for `sendUnsent` if Redis is away or the write fails.
   */
  changed(key: string, value: T, write: (value: T) => Promise<void> = this.send): void {
    this.marks.note(key);
    const mark = this.marks.mark;
    if (!this.writable()) {
      this.unsent.set(key, value);
      return;
    }
    write(value).catch((error: unknown) => {
      this.log.debug({ err: error, key }, `${this.what} not written to Redis; written on reconnect`);
      if (!this.marks.changedSince(key, mark)) this.unsent.set(key, value);
    });
  }

  /** Reconnected: the changes kept meanwhile go out, in the order they were first kept. */
  async sendUnsent(): Promise<void> {
    for (const [key, value] of [...this.unsent]) {
      await this.send(value);
      if (this.unsent.get(key) === value) this.unsent.delete(key);
    }
  }
}
