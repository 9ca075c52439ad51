import type Database from 'better-sqlite3';
import { ACCOUNTS_SCHEMA } from './sqlite-open.js';

/** One account as stored: what `/register` made. */
export interface AccountRecord {
  /** The name's nick key (shared/nick.ts nickKey): look-alikes and case variants are one account. */
  key: string;
  /** The name as it was registered: the nickname its owner gets on logging in. */
  name: string;
  /** scrypt, in the PHC string form with its parameters and salt (auth/password-hash.ts). */
  hash: string;
  /** Epoch ms of the registration. */
  created: number;
}

/** Where accounts outlive the process (`--accounts`). Only hashes are stored, never a password. */
export interface AccountStore {
  find(key: string): AccountRecord | undefined;
  /** Adds an account; false when one with that key exists already (a shared store answers later). */
  create(record: AccountRecord): boolean | Promise<boolean>;
  /** A store shared by several instances reads the account again before a login; rejects when it cannot. */
  refresh?(key: string): Promise<void>;
  /** Replaces an account's hash (redone with today's parameters at a login). */
  updateHash(key: string, hash: string): void;
  readonly count: number;
}

/**
 * The `accounts` table (schema 4, history/sqlite-open.ts; made here on first use) of the history database: the same file,
 * so one `--data-dir` holds everything and `:memory:` works for tests. Messages are written in
 * batches committed at the end of a turn; `commitPending` writes that batch first, so an account
 * is never in a transaction that a failed message write would roll back.
 */
export class SqliteAccounts implements AccountStore {
  private readonly byKey: Database.Statement<[string], AccountRecord>;
  private readonly insert: Database.Statement<[string, string, string, number]>;
  private readonly setHash: Database.Statement<[string, string]>;
  private readonly counted: Database.Statement<[], number>;

  constructor(
    db: Database.Database,
    private readonly commitPending: () => void,
  ) {
    db.exec(ACCOUNTS_SCHEMA);
    this.byKey = db.prepare<[string], AccountRecord>('SELECT key, name, hash, created FROM accounts WHERE key = ?');
    this.insert = db.prepare('INSERT OR IGNORE INTO accounts (key, name, hash, created) VALUES (?, ?, ?, ?)');
    this.setHash = db.prepare('UPDATE accounts SET hash = ? WHERE key = ?');
    this.counted = db.prepare<[], number>('SELECT COUNT(*) FROM accounts').pluck();
  }

  find(key: string): AccountRecord | undefined {
    return this.byKey.get(key);
  }

  create(record: AccountRecord): boolean {
    this.commitPending();
    return this.insert.run(record.key, record.name, record.hash, record.created).changes === 1;
  }

  updateHash(key: string, hash: string): void {
    this.commitPending();
    this.setHash.run(hash, key);
  }

  get count(): number {
    return this.counted.get() ?? 0;
  }
}

/** Accounts kept in memory only (stores without SQLite, tests of the hub alone). */
export class MemoryAccounts implements AccountStore {
  private readonly records = new Map<string, AccountRecord>();

  find(key: string): AccountRecord | undefined {
    return this.records.get(key);
  }

  create(record: AccountRecord): boolean {
    if (this.records.has(record.key)) return false;
    this.records.set(record.key, { ...record });
    return true;
  }

  updateHash(key: string, hash: string): void {
    const record = this.records.get(key);
    if (record !== undefined) record.hash = hash;
  }

  get count(): number {
    return this.records.size;
  }
}
