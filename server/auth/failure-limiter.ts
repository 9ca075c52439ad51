import { TokenBucket } from '../../shared/token-bucket.js';

/**
 * How fast wrong passwords from one address are allowed: `failureBurst` at once, then one every
 * `failureRefillMs`. Past that, every attempt from the address is refused unchecked until a
 * token is back, so guessing runs at most at that rate whatever the number of connections.
 */
export interface PasswordLimits {
  failureBurst: number;
  failureRefillMs: number;
  /** Addresses tracked at once; past it the oldest entry is forgotten (its failures with it). */
  maxTracked: number;
}

/** 5 wrong passwords at once, then one every 12 s (5 a minute), per IP address. */
export const DEFAULT_PASSWORD_LIMITS: PasswordLimits = { failureBurst: 5, failureRefillMs: 12_000, maxTracked: 10_000 };

/**
 * Wrong attempts counted per IP in token buckets, kept only for addresses that failed: the
 * server password, `/oper` and account logins each ask one before checking anything and report
 * a failure after. Bounded: past `maxTracked` addresses the oldest is forgotten.
 */
export class FailureLimiter {
  readonly limits: PasswordLimits;
  /** Failure buckets by IP, oldest first (a Map keeps insertion order). */
  private readonly failures = new Map<string, TokenBucket>();

  constructor(limits: Partial<PasswordLimits> = {}) {
    this.limits = { ...DEFAULT_PASSWORD_LIMITS, ...limits };
  }

  /** Milliseconds until an attempt from `ip` counts again; 0: it may try now. */
  waitFor(ip: string, now: number): number {
    return this.failures.get(ip)?.waitFor(1, now) ?? 0;
  }

  /** A wrong attempt from `ip`: it costs the address a token. */
  failed(ip: string, now: number): void {
    this.bucketFor(ip, now).spend(1);
  }

  /** Addresses with failures remembered (for tests and the memory bound). */
  get tracked(): number {
    return this.failures.size;
  }

  private bucketFor(ip: string, now: number): TokenBucket {
    const existing = this.failures.get(ip);
    if (existing !== undefined) return existing;
    if (this.failures.size >= this.limits.maxTracked) {
      const oldest = this.failures.keys().next();
      if (oldest.done !== true) this.failures.delete(oldest.value);
    }
    const bucket = new TokenBucket(1000 / this.limits.failureRefillMs, this.limits.failureBurst, now);
    this.failures.set(ip, bucket);
    return bucket;
  }
}
