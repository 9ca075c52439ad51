import type { TestContext } from 'node:test';

interface FakeTimer {
  due: number;
  callback: (...args: unknown[]) => void;
  args: unknown[];
  unref(): FakeTimer;
  ref(): FakeTimer;
}

/** Node's own rule: a delay outside 1..2^31-1 ms (NaN included) is 1 ms. */
const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * setTimeout and clearTimeout replaced for one test (node:test's `t.mock`, restored when the test
 * ends), on the test's own clock: `advance` moves the clock and fires what is due, in due order,
 * each at its due time. So a unit test sees which timers a module arms and cancels without
 * waiting for any of them.
 */
export class FakeTimers {
  private readonly pending = new Set<FakeTimer>();

  constructor(
    private readonly clock: { now: number },
    t: TestContext,
  ) {
    const set = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): FakeTimer => {
      const delay = ms !== undefined && ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
      const timer: FakeTimer = { due: this.clock.now + delay, callback, args, unref: () => timer, ref: () => timer };
      this.pending.add(timer);
      return timer;
    };
    const clear = (timer: unknown): void => {
      this.pending.delete(timer as FakeTimer);
    };
    t.mock.method(globalThis, 'setTimeout', set);
    t.mock.method(globalThis, 'clearTimeout', clear);
  }

  /** Timers armed and neither fired nor cancelled. */
  get size(): number {
    return this.pending.size;
  }

  /** The clock moves on `ms`; every timer due by then fires, the earliest first, with the clock at its due time. */
  advance(ms: number): void {
    const end = this.clock.now + ms;
    for (;;) {
      let next: FakeTimer | null = null;
      for (const timer of this.pending) if (timer.due <= end && (next === null || timer.due < next.due)) next = timer;
      if (next === null) break;
      this.pending.delete(next);
      this.clock.now = Math.max(this.clock.now, next.due);
      next.callback(...next.args);
    }
    this.clock.now = end;
  }
}
