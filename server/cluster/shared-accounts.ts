import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AccountRecord, AccountStore } from '../history/account-table.js';
import { scanHash } from './hash-records.js';
import type { PresenceEvent } from './presence-events.js';
import type { RedisKeys } from './redis-keys.js';
import { parseJson } from './wire-values.js';

/**
 * Accounts of a scaled-out server (`--accounts` with `--redis`): one hash, `PREFIX accounts`
 * (name key → `{name,hash,created}`), that every instance reads. A name is registered with
 * `HSETNX`, so two instances registering one name at once give it to one of them. Each instance
 * keeps a copy of every account in memory, loaded at start and kept current by an `account`
 * event, because `find` is asked synchronously at every nickname change; a copy that missed an
 * event (pub/sub is lossy) is refreshed from Redis at a login of that name and on every resync.
 * While Redis is unreachable nobody can register (the write fails: "try again"), and logins are
 * checked against the copy.
 */
export class SharedAccounts implements AccountStore {
  private readonly byKey = new Map<string, AccountRecord>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  find(key: string): AccountRecord | undefined {
    return this.byKey.get(key);
  }

  get count(): number {
    return this.byKey.size;
  }

  /** Registers the name unless any instance did first; rejects when Redis cannot be reached. */
  async create(record: AccountRecord): Promise<boolean> {
    if (this.byKey.has(record.key)) return false;
    const created = await this.redis.hsetnx(this.keys.accounts, record.key, entry(record));
    if (created === 0) {
      // Another instance registered it first: learn it, so this one refuses the name too.
      await this.refresh(record.key);
      return false;
    }
    this.byKey.set(record.key, record);
    this.announce(record.key);
    return true;
  }

  updateHash(key: string, hash: string): void {
    const known = this.byKey.get(key);
    if (known === undefined) return;
    const record = { ...known, hash };
    this.byKey.set(key, record);
    this.redis
      .hset(this.keys.accounts, key, entry(record))
      .then(() => this.announce(key))
      .catch((error: unknown) => this.log.debug({ err: error }, 'rehashed account not written to Redis; the old hash stays valid'));
  }

  /** Another instance registered or rehashed an account: read it. */
  changedElsewhere(key: string): void {
    this.refresh(key).catch((error: unknown) => this.log.debug({ err: error, account: key }, 'could not read an account from Redis'));
  }

  /** Every account, read again in batches (at start and after a reconnect). */
  async loadAll(): Promise<void> {
    await scanHash(this.redis, this.keys.accounts, (key, raw) => this.learn(key, raw));
  }

  /** Reads one account from Redis (a login asks first, so a missed event cannot refuse a right password). */
  async refresh(key: string): Promise<void> {
    const raw = await this.redis.hget(this.keys.accounts, key);
    if (raw !== null) this.learn(key, raw);
  }

  private learn(key: string, raw: string): void {
    const value = parseJson(raw) as Partial<Record<keyof AccountRecord, unknown>> | undefined;
    if (typeof value !== 'object' || value === null || typeof value.name !== 'string' || typeof value.hash !== 'string' || typeof value.created !== 'number') {
      this.log.warn({ account: key }, 'skipping a malformed account in Redis');
      return;
    }
    this.byKey.set(key, { key, name: value.name, hash: value.hash, created: value.created });
  }

  private announce(key: string): void {
    const event: PresenceEvent = { type: 'account', instance: this.instance, key };
    this.redis.publish(this.keys.presence, JSON.stringify(event)).catch((error: unknown) => {
      this.log.debug({ err: error, account: key }, 'account event not published; the others read it at their next resync or its next login');
    });
  }
}

function entry(record: AccountRecord): string {
  return JSON.stringify({ name: record.name, hash: record.hash, created: record.created });
}
