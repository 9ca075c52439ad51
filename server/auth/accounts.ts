import { SwitchboardError } from '../../shared/errors.js';
import type { AccountRecord, AccountStore } from '../history/account-table.js';
import type { HistoryStore } from '../history/history-store.js';
import { FailureLimiter, type PasswordLimits } from './failure-limiter.js';
import { HasherBusyError, PasswordHasher } from './password-hash.js';

/** An account password's length in UTF-8 bytes: 8 at least (a short one falls to a guesser), 256 at most (scrypt's input, a line's room). */
export const ACCOUNT_PASSWORD_MIN_BYTES = 8;
export const ACCOUNT_PASSWORD_MAX_BYTES = 256;

/** Why a password cannot be an account's; null when it can. */
export function accountPasswordProblem(password: string): string | null {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < ACCOUNT_PASSWORD_MIN_BYTES) return `a password has at least ${ACCOUNT_PASSWORD_MIN_BYTES} bytes`;
  if (bytes > ACCOUNT_PASSWORD_MAX_BYTES) return `a password has at most ${ACCOUNT_PASSWORD_MAX_BYTES} bytes`;
  return null;
}

export type RegisterVerdict = { outcome: 'ok'; record: AccountRecord } | { outcome: 'exists' } | { outcome: 'busy' };
export type LoginVerdict = { outcome: 'ok'; record: AccountRecord } | { outcome: 'wrong' } | { outcome: 'locked'; retryMs: number } | { outcome: 'busy' };

/**
 * Accounts (`--accounts`), apart from any session: registering a name with a password (hashed
 * with scrypt, auth/password-hash.ts) and checking a login. Wrong logins are counted per IP like
 * wrong server passwords (auth/failure-limiter.ts): past the burst, an address is refused
 * unchecked until a token is back. A login to a name without an account costs the same hash and
 * the same failure, so neither the time nor the answer tells which names exist (`/register`
 * does tell: a name is public once its owner uses it).
 */
export class Accounts {
  readonly failures: FailureLimiter;

  constructor(
    private readonly store: AccountStore,
    readonly hasher: PasswordHasher = new PasswordHasher(),
    limits: Partial<PasswordLimits> = {},
  ) {
    this.failures = new FailureLimiter(limits);
  }

  /** Whether a name key is an account's (asked for every nickname change). */
  isRegistered(key: string): boolean {
    return this.store.find(key) !== undefined;
  }

  get count(): number {
    return this.store.count;
  }

  /** Makes an account (`name` prepared and checked as a nickname, `password` checked). */
  async register(key: string, name: string, password: string, now: () => number): Promise<RegisterVerdict> {
    // Refused before the hash is paid for; checked again on insert (another may have won meanwhile).
    if (this.isRegistered(key)) return { outcome: 'exists' };
    let hash: string;
    try {
      hash = await this.hasher.hash(password);
    } catch (error) {
      if (error instanceof HasherBusyError) return { outcome: 'busy' };
      throw error;
    }
    const record: AccountRecord = { key, name, hash, created: now() };
    return (await this.store.create(record)) ? { outcome: 'ok', record } : { outcome: 'exists' };
  }

  /** Checks a login from `ip`; a wrong one costs the address a token. */
  async login(key: string, password: string, ip: string, now: () => number): Promise<LoginVerdict> {
    const wait = this.failures.waitFor(ip, now());
    if (wait > 0) return { outcome: 'locked', retryMs: wait };
    // Shared through Redis: read it again, in case this instance missed its registration (the copy serves if Redis is away).
    await this.store.refresh?.(key).catch(() => undefined);
    const record = this.store.find(key);
    let matched: boolean;
    try {
      if (record === undefined || accountPasswordProblem(password) !== null) matched = await this.hasher.verifyNothing(password.slice(0, ACCOUNT_PASSWORD_MAX_BYTES));
      else matched = await this.hasher.verify(password, record.hash);
    } catch (error) {
      if (error instanceof HasherBusyError) return { outcome: 'busy' };
      throw error;
    }
    if (!matched || record === undefined) {
      this.failures.failed(ip, now());
      return { outcome: 'wrong' };
    }
    if (this.hasher.outdated(record.hash)) this.rehash(record.key, password);
    return { outcome: 'ok', record };
  }

  /** A hash made with older parameters is redone with today's after a right password (in the background). */
  private rehash(key: string, password: string): void {
    this.hasher.hash(password).then(
      (hash) => this.store.updateHash(key, hash),
      () => undefined,
    );
  }
}

/** `--accounts` over the history's store: the SQLite database of `--data-dir`, or Redis with `--redis`. */
export function openAccounts(store: HistoryStore): Accounts {
  if (store.accounts === undefined) throw new SwitchboardError('SB_ERR_NO_ACCOUNTS', '--accounts needs a store that keeps accounts (the SQLite database of --data-dir, or Redis)');
  return new Accounts(store.accounts());
}
