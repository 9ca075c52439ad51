import type { Redis } from 'ioredis';

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
