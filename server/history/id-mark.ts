import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The mark's file, beside the database in the data dir. */
export const MARK_FILE = 'history-ids.json';
/**
 * Ids reserved (and fsynced) at a time. The fsync blocks the event loop, and on ext4 it also
 * flushes the WAL data written since the last one (about 5 ms per 1000 messages here), so it
 * happens once per 10,000 ids. After a crash the ids jump ahead by at most this many; a jump
 * loses nothing (ids are positions, not counts).
 */
export const RESERVE_BLOCK = 10_000;
/** The mark is always written as this many bytes at offset 0: overwritten in place, never grown. */
const MARK_BYTES = 256;

/**
 * What the server has handed out, kept outside the database. The database alone cannot say it:
 * a write that failed (disk full) or a write-ahead log cut short or damaged leaves the database
 * consistent but behind what members were sent, and SQLite says nothing about it.
 */
export interface IdMark {
  /** The epoch of the history these ids belong to. */
  epoch: string;
  /** The newest id that may have reached a member. Written after every commit, not fsynced. */
  sent: number;
  /** No id above this was handed out: fsynced before the first id above the previous value. */
  reserved: number;
  /** Written by close(): `sent` is exact and nothing is in flight. */
  clean: boolean;
  /** The kernel's boot id when written: another one means the machine restarted since. */
  boot: string;
  /** First id whose write failed and is not yet recorded as lost in the database; 0 if none. */
  failedFrom: number;
}

/** The previous run's mark: its content, none (a new data dir, or an older version), or garbage. */
export type MarkReading = IdMark | 'missing' | 'unreadable';

/** Ids members may have been sent that the database does not have. */
export interface LostIds {
  first: number;
  last: number;
  /**
   * False after the machine restarted without a clean stop: only the fsynced reservation is
   * known, so `last` is an upper bound, and the store starts a new epoch instead of telling
   * resuming pages about ids that may never have gone out.
   */
  certain: boolean;
  /** `write-failed`: writes had failed before the stop; `store-behind`: the database lost committed writes. */
  cause: 'write-failed' | 'store-behind';
}

/** What start-up concludes from the database and the mark. */
export interface MarkCheck {
  /** The epoch to use: the database's, or the mark's when the database is new; null for a new one. */
  epoch: string | null;
  /** The newest id that must never be handed out again. */
  last: number;
  /** The newest id that may have reached a member in this epoch (at least the newest stored). */
  sent: number;
  lost: LostIds | null;
  /** Why a new epoch is started although the database had one; null when it is not. */
  newEpochBecause: string | null;
}

/**
 * Compares the database with the mark of the previous run. Pure, so every case is unit-tested.
 * `stored` is the newest id the database ever stored; `dbEpoch` is null when this open created it.
 */
export function checkMark(dbEpoch: string | null, stored: number, mark: MarkReading, boot: string): MarkCheck {
  if (mark === 'unreadable') {
    // Nothing says which ids went out: a new epoch is the only way not to reuse one.
    const because = dbEpoch === null ? null : 'the id mark is unreadable, so the ids handed out before are unknown';
    return { epoch: null, last: stored, sent: stored, lost: null, newEpochBecause: because };
  }
  if (mark === 'missing' || (dbEpoch !== null && mark.epoch !== dbEpoch)) {
    // No mark yet (a first start, or a data dir from before marks), or one of another history.
    return { epoch: dbEpoch, last: stored, sent: stored, lost: null, newEpochBecause: null };
  }
  const last = Math.max(stored, mark.sent, mark.reserved);
  if (!mark.clean && boot !== '' && mark.boot !== boot && last > stored) {
    // The machine restarted without a clean stop: the page cache was lost, so the unsynced `sent`
    // may be stale and the WAL may have lost its last commits. Which ids went out is unknown, so
    // no resume can be told exactly what it missed: a new epoch, ids after the fsynced reservation.
    const lost: LostIds = { first: stored + 1, last, certain: false, cause: 'store-behind' };
    return { epoch: null, last, sent: stored, lost, newEpochBecause: 'the machine restarted without a clean stop, so which ids went out is not known exactly' };
  }
  // The same history, or a database recreated empty (its log lost wholesale): keep the epoch.
  const sent = Math.max(stored, mark.sent);
  if (sent === stored) return { epoch: mark.epoch, last, sent, lost: null, newEpochBecause: null };
  const cause = mark.failedFrom > 0 && mark.failedFrom <= stored + 1 ? 'write-failed' : 'store-behind';
  return { epoch: mark.epoch, last, sent, lost: { first: stored + 1, last: sent, certain: true, cause }, newEpochBecause: null };
}

/** Reads the mark; any file that is not a whole mark is `unreadable`. */
export function readMark(path: string): MarkReading {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return 'unreadable';
  }
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const { epoch, sent, reserved, clean, boot, failedFrom } = value;
    const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
    if (typeof epoch !== 'string' || !count(sent) || !count(reserved) || typeof clean !== 'boolean' || typeof boot !== 'string' || !count(failedFrom)) {
      return 'unreadable';
    }
    return { epoch, sent, reserved, clean, boot, failedFrom };
  } catch {
    return 'unreadable';
  }
}

/** Linux's id of this boot; '' elsewhere (then a restart of the machine cannot be told apart). */
export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * The open mark file. Every write replaces the same bytes at offset 0, so it needs no new disk
 * space: it still works on a full disk, where the database cannot grow.
 */
export class MarkFile {
  private readonly fd: number;

  constructor(path: string) {
    try {
      this.fd = openSync(path, 'r+');
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.fd = openSync(path, 'w+');
    // A new file: its directory entry must be durable too before a reservation in it counts.
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  /** `durable` fsyncs: for reservations and the clean stop, not for every `sent`. */
  write(mark: IdMark, durable: boolean): void {
    const json = JSON.stringify(mark);
    const bytes = Buffer.alloc(Math.max(MARK_BYTES, Buffer.byteLength(json) + 1), ' ');
    bytes.write(json);
    bytes[bytes.length - 1] = 0x0a;
    writeSync(this.fd, bytes, 0, bytes.length, 0);
    if (durable) fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
