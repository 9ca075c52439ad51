import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SwitchboardError } from '../../shared/errors.js';
import type { HistoryRecord, HistorySlice, HistoryStore, Retention } from './history-store.js';

/** `--data-dir` value that keeps history in memory only: gone when the process ends. */
export const MEMORY_DATA_DIR = ':memory:';
/** The database file inside the data dir. */
export const HISTORY_FILE = 'history.sqlite3';

/** The store could not be opened or checked at start-up; the message says which dir and why. */
export class HistoryUnavailableError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SB_ERR_HISTORY', message, options);
    this.name = 'HistoryUnavailableError';
  }
}

export interface SqliteHistoryOptions {
  /** A folder (created if missing) or `:memory:`. */
  dataDir: string;
  retention: Retention;
  /**
   * A batch could not be written (disk full, I/O error) after it was appended. The messages were
   * already accepted, so the room carries on without them in history; the caller logs and counts.
   */
  onWriteError?: (error: unknown, lost: number) => void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('chat', 'action')),
    sender TEXT NOT NULL,
    sender_id INTEGER NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS messages_by_time ON messages (time);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const COLUMNS = 'id, time, kind, sender AS "from", sender_id AS fromId, text';

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the folder and checks we may write there, so the failure names the folder, not a file. */
function prepareFolder(dataDir: string): string {
  const folder = resolve(dataDir);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new HistoryUnavailableError(`data dir ${folder} cannot be created or written: ${reason(error)}`, { cause: error });
  }
  return join(folder, HISTORY_FILE);
}

/**
 * History in SQLite through better-sqlite3 (synchronous, so the room can append without awaiting).
 * The first append of an event-loop turn opens a transaction, and the turn's messages are
 * committed together (group commit): one WAL append and no fsync per message. The turn's batch is committed by whichever comes first:
 * its own setImmediate, or the output flush that the server hooks to `commit` before any socket
 * write, so no one receives a message that is not yet in the WAL.
 *
 * Durability: WAL with `synchronous=NORMAL` survives the process being killed (the WAL is in the
 * OS page cache the moment the transaction commits), not a power cut of the last few batches.
 * The database is opened with an exclusive lock, so a second server on the same data dir fails at
 * start-up instead of handing out the same ids.
 */
export class SqliteHistory implements HistoryStore {
  readonly epoch: string;
  private last: number;
  private readonly db: Database.Database;
  private readonly retention: Retention;
  private readonly onWriteError: (error: unknown, lost: number) => void;
  /** Records inserted in the open transaction; 0 when none is open. */
  private inBatch = 0;
  private commitScheduled: NodeJS.Immediate | null = null;
  private closed = false;
  private readonly insert: Database.Statement<[number, number, string, string, number, string]>;
  private readonly begin: Database.Statement<[]>;
  private readonly end: Database.Statement<[]>;
  private readonly newest: Database.Statement<[number], HistoryRecord>;
  private readonly older: Database.Statement<[number, number], HistoryRecord>;
  private readonly newer: Database.Statement<[number, number], HistoryRecord>;

  constructor(options: SqliteHistoryOptions) {
    this.retention = options.retention;
    this.onWriteError = options.onWriteError ?? rethrow;
    const memory = options.dataDir === MEMORY_DATA_DIR;
    const file = memory ? MEMORY_DATA_DIR : prepareFolder(options.dataDir);
    try {
      this.db = new Database(file, { timeout: 200 });
    } catch (error) {
      throw new HistoryUnavailableError(`cannot open ${file}: ${reason(error)}`, { cause: error });
    }
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      if (!memory) this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // 2 MB of page cache (better-sqlite3 builds with 16 MB): history is written far more than
      // read, and reads are the newest pages, so a big cache would only add to the server's RSS.
      this.db.pragma('cache_size = -2000');
      const check = this.db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
      // The first write takes the exclusive lock and keeps it until close.
      this.db.exec(SCHEMA);
      this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', ?)").run(randomUUID());
      this.epoch = (this.db.prepare("SELECT value FROM meta WHERE key = 'epoch'").pluck().get() as string | undefined) ?? '';
      // sqlite_sequence remembers the highest id ever used, even after retention removed it.
      const seq = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'messages'").pluck().get() as number | undefined;
      this.last = seq ?? 0;
    } catch (error) {
      this.db.close();
      const busy = (error as { code?: string }).code === 'SQLITE_BUSY';
      const why = busy ? 'it is in use by another switchboard process' : reason(error);
      throw new HistoryUnavailableError(`cannot use ${file} (corrupt, not a Switchboard history, or unwritable): ${why}`, { cause: error });
    }
    this.insert = this.db.prepare('INSERT INTO messages (id, time, kind, sender, sender_id, text) VALUES (?, ?, ?, ?, ?, ?)');
    this.begin = this.db.prepare('BEGIN');
    this.end = this.db.prepare('COMMIT');
    this.newest = this.db.prepare(`SELECT ${COLUMNS} FROM messages ORDER BY id DESC LIMIT ?`);
    this.older = this.db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id < ? ORDER BY id DESC LIMIT ?`);
    this.newer = this.db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id > ? ORDER BY id LIMIT ?`);
  }

  get lastId(): number {
    return this.last;
  }

  append(record: HistoryRecord): void {
    if (this.closed) return;
    if (record.id <= this.last) throw new RangeError(`history ids must increase: ${record.id} after ${this.last}`);
    this.last = record.id;
    try {
      if (this.inBatch === 0) {
        this.begin.run();
        this.commitScheduled ??= setImmediate(this.commitOnTurnEnd);
      }
      this.inBatch += 1;
      // Inserted now, committed at the end of the turn: SQLite copies the text into its own pages
      // at once, so the message's JS string can die young instead of being kept for the turn.
      this.insert.run(record.id, record.time, record.kind, record.from, record.fromId, record.text);
    } catch (error) {
      this.onWriteError(error, 1);
    }
  }

  commit(): void {
    if (this.inBatch === 0) return;
    const count = this.inBatch;
    this.inBatch = 0;
    try {
      this.end.run();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.onWriteError(error, count);
    }
  }

  recent(limit: number): HistorySlice {
    this.commit();
    return slice(this.newest.all(limit + 1), limit);
  }

  before(before: number, limit: number): HistorySlice {
    this.commit();
    return slice(this.older.all(before, limit + 1), limit);
  }

  after(after: number, limit: number): HistoryRecord[] {
    this.commit();
    return this.newer.all(after, limit);
  }

  prune(now: number): number {
    this.commit();
    const retention = this.retention;
    if (retention.kind === 'all') return 0;
    if (retention.kind === 'age') {
      return this.db.prepare('DELETE FROM messages WHERE time < ?').run(now - retention.ms).changes;
    }
    return this.db
      .prepare('DELETE FROM messages WHERE id <= (SELECT id FROM messages ORDER BY id DESC LIMIT 1 OFFSET ?)')
      .run(retention.messages).changes;
  }

  close(): void {
    if (this.closed) return;
    this.commit();
    this.closed = true;
    if (this.commitScheduled !== null) clearImmediate(this.commitScheduled);
    this.db.close();
  }

  private readonly commitOnTurnEnd = (): void => {
    this.commitScheduled = null;
    if (!this.closed) this.commit();
  };
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
