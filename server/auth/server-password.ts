import { createHash, timingSafeEqual } from 'node:crypto';
import { FailureLimiter, type PasswordLimits } from './failure-limiter.js';

export { DEFAULT_PASSWORD_LIMITS, type PasswordLimits } from './failure-limiter.js';

/** What an attempt came to: let in, wrong, or refused unchecked (`retryMs` until the next try counts). */
export type PasswordVerdict = { outcome: 'ok' } | { outcome: 'wrong' } | { outcome: 'locked'; retryMs: number };

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The IP part of an `ip:port` peer address (`[v6]:port` too): failures are counted per IP, not per connection. */
export function ipOfAddress(address: string): string {
  const colon = address.lastIndexOf(':');
  const host = colon === -1 ? address : address.slice(0, colon);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The server password (`--password`): one shared secret for every transport. Secrets are
 * compared as SHA-256 digests with timingSafeEqual, so neither the time taken nor the length
 * of the offered text tells anything about the real one. Wrong attempts are counted per IP in a
 * token bucket; an address without tokens left is refused before its attempt is even checked,
 * so a right guess during a lock-out tells the guesser nothing.
 */
export class ServerPassword {
  /** Digests of every accepted secret (one for `--password`, one per `--admin`). */
  private expected: readonly Buffer[];
  private readonly failures: FailureLimiter;

  constructor(secret: string | readonly string[], limits: Partial<PasswordLimits> = {}) {
    const secrets = typeof secret === 'string' ? [secret] : secret;
    if (secrets.length === 0 || secrets.includes('')) throw new RangeError('the server password must not be empty');
    this.expected = secrets.map(digest);
    this.failures = new FailureLimiter(limits);
  }

  get limits(): PasswordLimits {
    return this.failures.limits;
  }

  /**
   * New secrets from a reloaded configuration (SIGHUP): connections that already gave the old one
   * stay in; later attempts are checked against these. The per-IP failure counts are kept.
   */
  replace(secret: string | readonly string[]): void {
    const secrets = typeof secret === 'string' ? [secret] : secret;
    if (secrets.length === 0 || secrets.includes('')) throw new RangeError('the server password must not be empty');
    this.expected = secrets.map(digest);
  }

  /** Checks what a connection from `ip` offered; a wrong one costs the address a token. */
  check(ip: string, offered: string, now: number): PasswordVerdict {
    const wait = this.failures.waitFor(ip, now);
    if (wait > 0) return { outcome: 'locked', retryMs: wait };
    // Every secret is compared, so the time taken does not say which one (if any) matched.
    const offeredDigest = digest(offered);
    let matched = false;
    for (const expected of this.expected) matched = timingSafeEqual(offeredDigest, expected) || matched;
    if (matched) return { outcome: 'ok' };
    this.failures.failed(ip, now);
    return { outcome: 'wrong' };
  }

  /** Addresses with failures remembered (for tests and the memory bound). */
  get tracked(): number {
    return this.failures.tracked;
  }
}
