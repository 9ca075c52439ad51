import { performance } from 'node:perf_hooks';

/**
 * This instance's estimate of Redis's clock, so it can give a publish a deadline that Redis checks
 * on its own clock (see PUBLISH in redis-scripts.ts). Every heartbeat brings Redis's time; the
 * offset to the local monotonic clock is taken at the middle of the round trip, so its error is at
 * most half the round trip. Replies slower than `maxErrorMs` × 2 are not used: a slow Redis would
 * make a poor clock. Monotonic time, so a jump of this machine's wall clock changes nothing.
 */
export class RedisClock {
  private offset: number | null = null;
  private readonly maxErrorMs: number;

  constructor(maxErrorMs: number) {
    this.maxErrorMs = maxErrorMs;
  }

  /** When a request is sent: pass it back to `sample` with the reply. */
  now(): number {
    return performance.now();
  }

  /** Redis said its time was `redisMs` while answering a request sent at `sentAt` (from `now()`). */
  sample(redisMs: number, sentAt: number): void {
    const receivedAt = performance.now();
    if (receivedAt - sentAt > 2 * this.maxErrorMs) return;
    this.offset = redisMs - (sentAt + receivedAt) / 2;
  }

  /** Redis's time `inMs` from now, or 0 (no deadline) before the first usable sample. */
  deadline(inMs: number): number {
    return this.offset === null ? 0 : Math.round(performance.now() + this.offset + inMs);
  }
}
