import { TokenBucket } from '../../shared/token-bucket.js';

/** How often buckets that have refilled are forgotten, so the map holds only recent callers. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * A token bucket per client IP, for HTTP routes that cost the server work: `rate` requests a
 * second, `burst` at once. A bucket untouched for `burst / rate` seconds is full again, so it is
 * dropped at the next sweep and an IP that stopped asking costs nothing.
 */
export class IpRateLimit {
  private readonly buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>();
  private readonly timer: NodeJS.Timeout | null;

  /** rate 0 = no limit. */
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.timer = rate > 0 ? setInterval(this.sweep, SWEEP_INTERVAL_MS).unref() : null;
  }

  /** True when this IP may go ahead now (a token is taken). */
  take(ip: string, now = Date.now()): boolean {
    if (this.rate <= 0) return true;
    let entry = this.buckets.get(ip);
    if (entry === undefined) {
      entry = { bucket: new TokenBucket(this.rate, this.burst, now), lastUsed: now };
      this.buckets.set(ip, entry);
    }
    entry.lastUsed = now;
    return entry.bucket.take(now);
  }

  /** Whole seconds until one token is back (for `Retry-After`). */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(1 / this.rate));
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  private readonly sweep = (): void => {
    const fullAfterMs = (this.burst / this.rate) * 1000;
    const now = Date.now();
    for (const [ip, entry] of this.buckets) if (now - entry.lastUsed >= fullAfterMs) this.buckets.delete(ip);
  };
}
