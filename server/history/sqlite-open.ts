import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { HistoryUnavailableError, type StoredRoom } from './history-store.js';
import { type MarkCheck, checkMark, readMark } from './id-mark.js';

/**
 * Schema 1 was one room (no `room` column); schema 2 files every message under its room's key;
 * schema 3 adds `room_moderation` (operators, bans, mutes, locks; created empty on opening);
 * schema 4 adds `accounts` (`--accounts`; made by the first start that has accounts, ACCOUNTS_SCHEMA).
 */
const SCHEMA_VERSION = '4';

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
  CREATE TABLE IF NOT EXISTS lost (first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, noticed INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS rooms (key TEXT PRIMARY KEY, name TEXT NOT NULL, topic TEXT NOT NULL DEFAULT '');
  CREATE TABLE IF NOT EXISTS room_moderation (key TEXT PRIMARY KEY, state TEXT NOT NULL);
`;

/**
 * Schema 4's table, made by the first start with `--accounts` (history/account-table.ts), so a
 * server without accounts carries no empty table: by name key, the name as registered, the scrypt
 * hash (PHC form, with its parameters) and when it was made.
 */
export const ACCOUNTS_SCHEMA = 'CREATE TABLE IF NOT EXISTS accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, created INTEGER NOT NULL)';

/**
 * Brings a database to schema 4 (3's table is new, in SCHEMA; 4's is made on first use): a one-room history (schema 1, no version in meta) gets a `room`
 * column whose value, for every message it already holds, is the default room's key. In the same
 * transaction as the schema, so a failed migration leaves the file as it was.
 */
function migrate(db: Database.Database, defaultRoom: StoredRoom): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('messages')").pluck().all() as string[];
  if (!columns.includes('room')) {
    const literal = `'${defaultRoom.key.replaceAll("'", "''")}'`;
    db.exec(`ALTER TABLE messages ADD COLUMN room TEXT NOT NULL DEFAULT ${literal}`);
  }
  db.exec('CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room, id)');
  db.prepare('INSERT OR IGNORE INTO rooms (key, name) VALUES (?, ?)').run(defaultRoom.key, defaultRoom.name);
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
}

/**
 * Opens the database, checks it, creates the schema, and compares it with the previous run's id
 * mark (see checkMark). Every failure names the file and one reason.
 */
export function openChecked(
  file: string,
  markPath: string | null,
  maxPages: number,
  boot: string,
  defaultRoom: StoredRoom,
): { db: Database.Database; epoch: string; check: MarkCheck; failedFrom: number } {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 200 });
  } catch (error) {
    throw new HistoryUnavailableError(`cannot open ${file}: ${reason(error)}`, { cause: error });
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    if (markPath !== null) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // 2 MB of page cache (better-sqlite3 builds with 16 MB): history is written far more than
    // read, and reads are the newest pages, so a big cache would only add to the server's RSS.
    db.pragma('cache_size = -2000');
    if (maxPages > 0) db.pragma(`max_page_count = ${Math.floor(maxPages)}`);
    const integrity = db.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`integrity check failed: ${String(integrity)}`);
    // The first write takes the exclusive lock and keeps it until close.
    db.transaction(function createOrMigrate() {
      db.exec(SCHEMA);
      migrate(db, defaultRoom);
    })();
    const dbEpoch = (db.prepare("SELECT value FROM meta WHERE key = 'epoch'").pluck().get() as string | undefined) ?? null;
    // sqlite_sequence remembers the highest id ever stored, even after retention removed it.
    const stored = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'messages'").pluck().get() as number | undefined) ?? 0;
    const reading = markPath === null ? 'missing' : readMark(markPath);
    const check = checkMark(dbEpoch, stored, reading, boot);
    const epoch = check.epoch ?? randomUUID();
    if (epoch !== dbEpoch) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('epoch', ?)").run(epoch);
    return { db, epoch, check, failedFrom: typeof reading === 'object' ? reading.failedFrom : 0 };
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new HistoryUnavailableError(`cannot use ${file}: it is in use by another switchboard process`, { cause: error });
    }
    throw new HistoryUnavailableError(`cannot use ${file}: not a Switchboard history, or damaged: ${reason(error)}`, { cause: error });
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
