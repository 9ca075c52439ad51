/**
 * A rate limit: `rate` tokens a second, at most `burst` saved up. Refilled lazily from the clock
 * on each take, so an idle holder costs nothing. Used per connection for messages and for bytes,
 * and server-wide for replays. A clock that steps back refills nothing until it passes the last
 * reading again.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    return this.takeOrWait(1, now) === 0;
  }

  /** Takes `cost` tokens and returns 0, or returns what `waitFor` says and takes nothing. */
  takeOrWait(cost: number, now: number): number {
    const wait = this.waitFor(cost, now);
    if (wait === 0) this.spend(cost);
    return wait;
  }

  /**
   * 0 when `cost` tokens are there now, else the milliseconds until they will be (at least 1).
   * A cost above the burst could never be saved up, so it is let through when the bucket is full
   * and leaves a debt that later takes wait out.
   */
  waitFor(cost: number, now: number): number {
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
      this.updatedAt = now;
    }
    const needed = Math.min(cost, this.burst);
    if (this.tokens >= needed) return 0;
    return Math.max(1, Math.ceil(((needed - this.tokens) / this.rate) * 1000));
  }

  /** Takes `cost` tokens after `waitFor` said 0 (for two limits checked before either is spent). */
  spend(cost: number): void {
    this.tokens -= cost;
  }
}
