import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt's cost: N = 2^logN, block size r, parallelism p. Memory per hash is 128·N·r bytes
 * (32 MiB for the defaults); the time 0.33–0.55 s on a 2-core VM at load average 9, about a
 * quarter of that on an idle core: slow enough that a stolen database costs a guesser that per
 * guess, fast enough for a login.
 */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

/** What new hashes use; a stored hash with other parameters is redone at its next login. */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Hashes computed at once (each takes a libuv thread and 128·N·r bytes); the rest wait in turn. */
const DEFAULT_CONCURRENCY = 2;
/** Hashes waiting for a turn before more are refused at once (an account storm must not queue without end). */
const DEFAULT_QUEUE = 64;

/** The hasher is at its limit: the caller says "busy, try again" instead of queueing more. */
export class HasherBusyError extends Error {
  constructor() {
    super('too many password hashes waiting');
    this.name = 'HasherBusyError';
  }
}

/**
 * A stored hash in the PHC string form, `$scrypt$ln=15,r=8,p=1$SALT$HASH` (salt and hash in
 * unpadded base64): the parameters travel with every hash, so they can be raised later without
 * locking out anyone who registered before.
 */
export function formatHash(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
}

/** A stored hash read back; null when it is not one this code wrote. */
export function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (match === null) return null;
  const params = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.logN < 1 || params.logN > 22 || params.r < 1 || params.p < 1) return null;
  return { params, salt: Buffer.from(match[4]!, 'base64'), key: Buffer.from(match[5]!, 'base64') };
}

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  // Node refuses a hash above maxmem (32 MiB by default, exactly what 2^15·8 needs): twice the need.
  const maxmem = 256 * N * params.r * params.p;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { N, r: params.r, p: params.p, maxmem }, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/**
 * Hashes and checks account passwords with scrypt from node:crypto, on libuv's thread pool so
 * the event loop keeps serving chat while a hash runs. At most `concurrency` run at once (each
 * holds 32 MiB and a pool thread, which file and DNS work share), at most `queue` wait; past
 * that a request is refused at once with HasherBusyError. Passwords are NFC-normalised first, so
 * the same password typed on two systems that compose accents differently still matches.
 */
export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** A hash of a random password, checked for a login to a name that has no account: same cost, same time. */
  private dummy: Promise<string> | null = null;

  constructor(
    readonly params: ScryptParams = DEFAULT_SCRYPT,
    private readonly concurrency = DEFAULT_CONCURRENCY,
    private readonly queue = DEFAULT_QUEUE,
  ) {}

  /** A new hash with a fresh random salt. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.turn(() => derive(password, salt, this.params, KEY_BYTES));
    return formatHash(this.params, salt, key);
  }

  /** Whether `password` matches `stored` (compared with timingSafeEqual); false for a hash it cannot read. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseHash(stored);
    if (parsed === null || parsed.key.length === 0) return false;
    const key = await this.turn(() => derive(password, parsed.salt, parsed.params, parsed.key.length));
    return timingSafeEqual(key, parsed.key);
  }

  /** Spends a verify's time on nothing: a login to an unknown name takes as long as a wrong password. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(18).toString('base64'));
    await this.verify(password, await this.dummy);
    return false;
  }

  /** Whether a stored hash was made with other parameters than today's (it is redone at login). */
  outdated(stored: string): boolean {
    const parsed = parseHash(stored);
    return parsed === null || parsed.params.logN !== this.params.logN || parsed.params.r !== this.params.r || parsed.params.p !== this.params.p;
  }

  /** Runs `work` when fewer than `concurrency` run; refuses at once past `queue` waiting. */
  private async turn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new HasherBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running += 1;
    try {
      return await work();
    } finally {
      // The turn passes straight to the next waiter (running stays the same), or is given back.
      const next = this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}
