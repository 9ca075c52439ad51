import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { LostRange } from '../../shared/events.js';
import { DEFAULT_ROOM, roomKey } from '../../shared/room-name.js';
import { type AccountStore, SqliteAccounts } from './account-table.js';
import { type ModerationState, parseModerationState } from './moderation-record.js';
import { prepareDataDir } from './data-dir.js';
import {
  HistoryUnavailableError,
  type HistoryRecord,
  type HistorySlice,
  type HistoryStore,
  type HistoryWindow,
  type Retention,
  type StoredRoom,
} from './history-store.js';
import { type IdMark, type LostIds, MARK_FILE, MarkFile, RESERVE_BLOCK, bootId } from './id-mark.js';
import { openChecked } from './sqlite-open.js';

export { HistoryUnavailableError } from './history-store.js';

/** The default room's entry when none is given (shared/room-name.ts DEFAULT_ROOM, whose key it is). */
const LOBBY: StoredRoom = { key: roomKey(DEFAULT_ROOM), name: DEFAULT_ROOM, topic: '' };

/** `--data-dir` value that keeps history in memory only: gone when the process ends. */
export const MEMORY_DATA_DIR = ':memory:';
/** The database file inside the data dir. */
export const HISTORY_FILE = 'history.sqlite3';
/** Most lost ranges one resume is told about; past that the last one covers the rest. */
const LOST_RANGES_MAX = 100;

export interface SqliteHistoryOptions {
  /** A folder (created if missing) or `:memory:`. */
  dataDir: string;
  retention: Retention;
  /**
   * A batch could not be written (disk full, I/O error) after it was appended. The messages were
   * already accepted, so the room carries on without them in history; the caller logs and counts.
   * `lost` is how many messages; 0 when only the id mark could not be written.
   */
  onWriteError?: (error: unknown, lost: number) => void;
  /** For tests: caps the database at this many pages (PRAGMA max_page_count), as a full disk would. */
  maxPages?: number;
  /**
   * The room messages of a history from before rooms belong to (`--default-room`; `#lobby` when
   * not given): a database written by a one-room version is migrated into it on opening.
   */
  defaultRoom?: StoredRoom;
}

/** What opening the store found, for the one start-up warning (see switchboard.ts). */
export interface StoreStartup {
  /** Ids members may have been sent that the database does not have; null when none. */
  lost: LostIds | null;
  /** The lost ids were already recorded by an earlier start: nothing new to warn about. */
  lostKnown: boolean;
  /** Why this start began a new epoch although the database had one; null when it did not. */
  newEpochBecause: string | null;
}

const COLUMNS = 'id, time, kind, sender AS "from", sender_id AS fromId, text';

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * History in SQLite through better-sqlite3 (synchronous, so the room can append without awaiting).
 * The first append of an event-loop turn opens a transaction, and the turn's messages are
 * committed together (group commit): one WAL append and no fsync per message. The turn's batch
 * is committed by whichever comes first: its own setImmediate, or the output flush that the
 * server hooks to `commit` before any socket write, so no one receives a message that is not yet
 * in the WAL.
 *
 * Durability: WAL with `synchronous=NORMAL` survives the process being killed (the WAL is in the
 * OS page cache the moment the transaction commits), not a power cut of the last few batches.
 * The database is opened with an exclusive lock, so a second server on the same data dir fails at
 * start-up instead of handing out the same ids.
 *
 * Ids are never handed out twice, even when the database falls behind what members were sent (a
 * write failed on a full disk, the WAL was cut short or damaged): the id mark beside it (see
 * id-mark.ts) says what went out, the next start continues after it, records the ids missing
 * from the database as lost, and a resuming page is told about them (`lostAfter`).
 */
export class SqliteHistory implements HistoryStore {
  readonly epoch: string;
  readonly startup: StoreStartup;
  /** The newest id handed out, or at start-up the newest that must not be handed out again. */
  private last: number;
  /** The newest id that may have reached a member. */
  private sent: number;
  /** No id above this was handed out before the mark said so durably. */
  private reserved: number;
  /** First id of a failed batch not yet recorded in `lost`; 0 when all are recorded. */
  private failedFrom: number;
  /** Lost ranges not yet in the database (it could not be written); saved with the next commit. */
  private pendingLost: LostRange[] = [];
  private readonly db: Database.Database;
  private readonly mark: MarkFile | null;
  private readonly boot: string;
  private readonly retention: Retention;
  private readonly onWriteError: (error: unknown, lost: number) => void;
  /** Id of the open batch's first record; 0 when no batch is open. */
  private batchFirst = 0;
  /** Why the open batch cannot be committed (an insert failed); its records are lost. */
  private batchError: unknown = null;
  private commitScheduled: NodeJS.Immediate | null = null;
  private closed = false;
  /** Rooms appended to since the last prune: the only ones a count retention can find over. */
  private readonly touched = new Set<string>();
  private prunedOnce = false;
  private readonly insert: Database.Statement<[number, string, number, string, string, number, string]>;
  private readonly begin: Database.Statement<[]>;
  private readonly end: Database.Statement<[]>;
  private readonly newest: Database.Statement<[string, number], HistoryRecord>;
  private readonly older: Database.Statement<[string, number, number], HistoryRecord>;
  private readonly newer: Database.Statement<[string, number, number], HistoryRecord>;
  private readonly newestIds: Database.Statement<[string, number], number>;
  private readonly countNewer: Database.Statement<[string, number, number], number>;
  private readonly roomByKey: Database.Statement<[string], StoredRoom>;
  private readonly upsertRoom: Database.Statement<[string, string, string]>;
  private readonly moderationByKey: Database.Statement<[string], string>;
  private readonly upsertModeration: Database.Statement<[string, string]>;
  private readonly saveLost: Database.Statement<[number, number, number]>;
  private readonly lostSince: Database.Statement<[number, number], LostRange>;

  constructor(options: SqliteHistoryOptions) {
    this.retention = options.retention;
    this.onWriteError = options.onWriteError ?? rethrow;
    this.boot = bootId();
    const folder = options.dataDir === MEMORY_DATA_DIR ? null : prepareDataDir(options.dataDir);
    const file = folder === null ? MEMORY_DATA_DIR : join(folder, HISTORY_FILE);
    const markPath = folder === null ? null : join(folder, MARK_FILE);
    const opened = openChecked(file, markPath, options.maxPages ?? 0, this.boot, options.defaultRoom ?? LOBBY);
    this.db = opened.db;
    this.epoch = opened.epoch;
    const check = opened.check;
    this.last = check.last;
    this.sent = check.sent;
    this.reserved = check.last;
    this.insert = this.db.prepare('INSERT INTO messages (id, room, time, kind, sender, sender_id, text) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.begin = this.db.prepare('BEGIN');
    this.end = this.db.prepare('COMMIT');
    this.newest = this.db.prepare(`SELECT ${COLUMNS} FROM messages WHERE room = ? ORDER BY id DESC LIMIT ?`);
    this.older = this.db.prepare(`SELECT ${COLUMNS} FROM messages WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?`);
    this.newer = this.db.prepare(`SELECT ${COLUMNS} FROM messages WHERE room = ? AND id > ? ORDER BY id LIMIT ?`);
    this.newestIds = this.db.prepare<[string, number], number>('SELECT id FROM messages WHERE room = ? ORDER BY id DESC LIMIT ?').pluck();
    this.countNewer = this.db
      .prepare<[string, number, number], number>('SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE room = ? AND id > ? LIMIT ?)')
      .pluck();
    this.roomByKey = this.db.prepare('SELECT key, name, topic FROM rooms WHERE key = ?');
    this.upsertRoom = this.db.prepare('INSERT INTO rooms (key, name, topic) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name, topic = excluded.topic');
    this.moderationByKey = this.db.prepare<[string], string>('SELECT state FROM room_moderation WHERE key = ?').pluck();
    this.upsertModeration = this.db.prepare('INSERT INTO room_moderation (key, state) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state');
    this.saveLost = this.db.prepare(
      'INSERT INTO lost (first_id, last_id, noticed) VALUES (?, ?, ?) ON CONFLICT (first_id) DO UPDATE SET last_id = max(last_id, excluded.last_id)',
    );
    this.lostSince = this.db.prepare('SELECT first_id AS first, last_id AS last FROM lost WHERE last_id > ? ORDER BY first_id LIMIT ?');
    const lost = check.lost;
    const recorded = lost === null ? undefined : (this.db.prepare('SELECT last_id FROM lost WHERE first_id = ?').pluck().get(lost.first) as number | undefined);
    const known = lost !== null && recorded !== undefined && recorded >= lost.last;
    this.failedFrom = 0;
    // An uncertain range is only warned about: its epoch is over (see checkMark).
    if (lost !== null && lost.certain && !known) this.saveLostNow({ first: lost.first, last: lost.last }, opened.failedFrom);
    this.startup = { lost, lostKnown: known, newEpochBecause: check.newEpochBecause };
    try {
      this.mark = markPath === null ? null : new MarkFile(markPath);
      // Not through onWriteError: a data dir where the mark cannot be written is unusable.
      this.mark?.write(this.markState(false, this.reserved), true);
    } catch (error) {
      this.db.close();
      throw new HistoryUnavailableError(`cannot write ${markPath}: ${reason(error)}`, { cause: error });
    }
  }

  get lastId(): number {
    return this.last;
  }

  append(room: string, record: HistoryRecord): void {
    if (this.closed) return;
    if (record.id <= this.last) throw new RangeError(`history ids must increase: ${record.id} after ${this.last}`);
    this.last = record.id;
    this.touched.add(room);
    if (this.batchFirst === 0) {
      this.batchFirst = record.id;
      this.commitScheduled ??= setImmediate(this.commitOnTurnEnd);
    }
    // After a failed insert SQLite may have rolled the whole transaction back: the batch is lost
    // as a whole, and inserting the rest outside a transaction would only blur what was kept.
    if (this.batchError !== null) return;
    try {
      if (!this.db.inTransaction) this.begin.run();
      // Inserted now, committed at the end of the turn: SQLite copies the text into its own pages
      // at once, so the message's JS string can die young instead of being kept for the turn.
      this.insert.run(record.id, room, record.time, record.kind, record.from, record.fromId, record.text);
    } catch (error) {
      this.batchError = error;
      this.rollback();
    }
  }

  /**
   * Writes what was appended since the last commit, in one transaction, then the id mark. Both
   * before the turn's output: a batch that cannot be stored still goes out (chat carries on), so
   * its ids are recorded as lost, and the mark says they went out, so none is handed out again.
   */
  commit(): void {
    const first = this.batchFirst;
    if (first === 0) return;
    this.batchFirst = 0;
    let error = this.batchError;
    this.batchError = null;
    if (error === null) {
      try {
        const now = Date.now();
        for (const range of this.pendingLost) this.saveLost.run(range.first, range.last, now);
        this.end.run();
        this.pendingLost = [];
        this.failedFrom = 0;
      } catch (commitError) {
        error = commitError;
        this.rollback();
      }
    }
    if (error !== null) {
      addRange(this.pendingLost, { first, last: this.last });
      if (this.failedFrom === 0) this.failedFrom = first;
    }
    this.sent = Math.max(this.sent, this.last);
    this.writeMark(false, false);
    if (error !== null) this.onWriteError(error, this.last - first + 1);
  }

  recent(room: string, limit: number): HistorySlice {
    this.commit();
    return slice(this.newest.all(room, limit + 1), limit);
  }

  before(room: string, before: number, limit: number): HistorySlice {
    this.commit();
    return slice(this.older.all(room, before, limit + 1), limit);
  }

  after(room: string, after: number, limit: number): HistoryRecord[] {
    this.commit();
    return this.newer.all(room, after, limit);
  }

  recentWindow(room: string, limit: number): HistoryWindow {
    this.commit();
    const ids = this.newestIds.all(room, limit + 1);
    const more = ids.length > limit;
    const count = Math.min(limit, ids.length);
    return { after: count === 0 ? this.last : ids[count - 1]! - 1, count, more };
  }

  countAfter(room: string, after: number, limit: number): number {
    this.commit();
    return this.countNewer.get(room, after, limit) ?? 0;
  }

  room(key: string): StoredRoom | undefined {
    return this.roomByKey.get(key);
  }

  saveRoom(room: StoredRoom): void {
    try {
      this.upsertRoom.run(room.key, room.name, room.topic);
    } catch (error) {
      // A full disk costs the room's topic after a restart, not the chat.
      this.onWriteError(error, 0);
    }
  }

  /** The accounts table of this database (`--accounts`). */
  accounts(): AccountStore {
    return new SqliteAccounts(this.db, () => this.commit());
  }

  moderation(key: string): ModerationState | undefined {
    const json = this.moderationByKey.get(key);
    return json === undefined ? undefined : parseModerationState(json);
  }

  saveModeration(key: string, state: ModerationState): void {
    try {
      this.upsertModeration.run(key, JSON.stringify(state));
    } catch (error) {
      // As with topics: a full disk costs the change after a restart, not the room.
      this.onWriteError(error, 0);
    }
  }

  lostAfter(after: number): LostRange[] {
    this.commit();
    const ranges: LostRange[] = [];
    for (const range of [...this.lostSince.all(after, LOST_RANGES_MAX), ...this.pendingLost]) {
      if (range.last > after) addRange(ranges, { first: Math.max(range.first, after + 1), last: range.last });
    }
    if (ranges.length > LOST_RANGES_MAX) {
      const rest = ranges.splice(LOST_RANGES_MAX - 1);
      ranges.push({ first: rest[0]!.first, last: rest.at(-1)!.last });
    }
    return ranges;
  }

  prune(now: number): number {
    this.commit();
    const retention = this.retention;
    if (retention.kind === 'all') return 0;
    const removed = retention.kind === 'age' ? this.db.prepare('DELETE FROM messages WHERE time < ?').run(now - retention.ms).changes : this.pruneByCount(retention.messages);
    // A lost range older than every kept message is behind what any resume can reach.
    if (removed > 0) this.db.prepare('DELETE FROM lost WHERE last_id < (SELECT min(id) FROM messages)').run();
    return removed;
  }

  close(): void {
    if (this.closed) return;
    this.commit();
    this.closed = true;
    if (this.commitScheduled !== null) clearImmediate(this.commitScheduled);
    // A clean stop: `sent` is exact, so the next start continues right after it.
    this.reserved = this.sent;
    this.writeMark(true, true);
    this.mark?.close();
    this.db.close();
  }

  /**
   * A count is kept per room, so a busy room cannot push a quiet room's history out. Only rooms
   * spoken in since the last pass can be over it (every room at the first pass), and each costs
   * two index lookups.
   */
  private pruneByCount(keep: number): number {
    const rooms = this.prunedOnce ? [...this.touched] : (this.db.prepare('SELECT DISTINCT room FROM messages').pluck().all() as string[]);
    this.prunedOnce = true;
    this.touched.clear();
    const remove = this.db.prepare('DELETE FROM messages WHERE room = ? AND id <= (SELECT id FROM messages WHERE room = ? ORDER BY id DESC LIMIT 1 OFFSET ?)');
    let removed = 0;
    for (const room of rooms) removed += remove.run(room, room, keep).changes;
    return removed;
  }

  /** Records a range lost before this run (found at start-up) now, or with the next commit. */
  private saveLostNow(range: LostRange, failedFrom: number): void {
    try {
      this.saveLost.run(range.first, range.last, Date.now());
    } catch {
      // Still full: kept in memory and in the mark (sent), saved with the first commit that works.
      addRange(this.pendingLost, range);
      this.failedFrom = failedFrom;
    }
  }

  /**
   * Says in the mark what went out. Every commit overwrites it (a few microseconds, no fsync); an
   * id above the reservation first reserves the next RESERVE_BLOCK ids durably, so even after a
   * power cut no id that went out is below what the next start continues from.
   */
  private writeMark(clean: boolean, durable: boolean): void {
    if (this.mark === null) return;
    const reserve = this.sent > this.reserved;
    const reserved = reserve ? this.sent + RESERVE_BLOCK : this.reserved;
    try {
      this.mark.write(this.markState(clean, reserved), durable || reserve);
      this.reserved = reserved;
    } catch (error) {
      // Ids past the reservation still go out (chat carries on); the next try reserves again.
      this.onWriteError(error, 0);
    }
  }

  private markState(clean: boolean, reserved: number): IdMark {
    return { epoch: this.epoch, sent: this.sent, reserved, clean, boot: this.boot, failedFrom: this.failedFrom };
  }

  private rollback(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // SQLite may have rolled back already (SQLITE_FULL, SQLITE_IOERR): nothing left to undo.
    }
  }

  private readonly commitOnTurnEnd = (): void => {
    this.commitScheduled = null;
    if (!this.closed) this.commit();
  };
}

/** Appends `range` to ranges sorted by id, merging it with the last one when they touch. */
function addRange(ranges: LostRange[], range: LostRange): void {
  const tail = ranges.at(-1);
  if (tail !== undefined && range.first <= tail.last + 1) {
    tail.first = Math.min(tail.first, range.first);
    tail.last = Math.max(tail.last, range.last);
    return;
  }
  ranges.push({ ...range });
}

/** Rows come newest first with one extra that only says whether there are more. */
function slice(rows: HistoryRecord[], limit: number): HistorySlice {
  const more = rows.length > limit;
  const records = more ? rows.slice(0, limit) : rows;
  records.reverse();
  return { records, more };
}

function rethrow(error: unknown): never {
  throw error;
}
