/**
 * The load generator's clock: microseconds of CLOCK_MONOTONIC (process.hrtime), read through
 * the cheaper performance.now() plus an offset measured once per thread. Every generator
 * thread (and any process on this machine) shares that timeline, so a send time written into
 * a payload by one thread and a receive time read by another are comparable, without the
 * steps a wall clock can take.
 */
const OFFSET_US = measureOffset();

function measureOffset(): number {
  let best = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < 20; i += 1) {
    const before = performance.now();
    const mono = Number(process.hrtime.bigint() / 1000n);
    const after = performance.now();
    if (after - before < best) {
      best = after - before;
      offset = mono - ((before + after) / 2) * 1000;
    }
  }
  return offset;
}

export function nowUs(): number {
  return Math.round(performance.now() * 1000 + OFFSET_US);
}

export function nowMs(): number {
  return performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
