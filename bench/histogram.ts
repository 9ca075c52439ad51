/** Relative width of one bucket: values are kept to within 1 %. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Enough buckets for 1 µs … ~100 s. */
const BUCKETS = 1900;

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** A histogram as it crosses from a generator thread to the main thread. */
export interface HistogramState {
  counts: Uint32Array;
  count: number;
  sum: number;
  max: number;
}

/**
 * A log-bucketed latency histogram in microseconds: recording is one Math.log and an array
 * increment, so the load generator can record every delivery of a million-delivery run without
 * keeping the samples. Percentiles are bucket upper bounds (at most 1 % high), capped by the
 * exact maximum.
 */
export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  private sum = 0;
  max = 0;

  static from(state: HistogramState): Histogram {
    const histogram = new Histogram();
    histogram.counts.set(state.counts);
    histogram.count = state.count;
    histogram.sum = state.sum;
    histogram.max = state.max;
    return histogram;
  }

  state(): HistogramState {
    return { counts: this.counts, count: this.count, sum: this.sum, max: this.max };
  }

  record(micros: number): void {
    const value = micros < 1 ? 1 : micros;
    let bucket = Math.ceil(Math.log(value) / LOG_GROWTH);
    if (bucket >= BUCKETS) bucket = BUCKETS - 1;
    this.counts[bucket]! += 1;
    this.count += 1;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i += 1) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  /** The value at quantile q (0..1), in microseconds. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(GROWTH ** i, this.max);
    }
    return this.max;
  }

  summary(): LatencySummary {
    const ms = (micros: number) => Math.round(micros) / 1000;
    return {
      count: this.count,
      meanMs: this.count === 0 ? 0 : ms(this.sum / this.count),
      p50Ms: ms(this.quantile(0.5)),
      p99Ms: ms(this.quantile(0.99)),
      p999Ms: ms(this.quantile(0.999)),
      maxMs: ms(this.max),
    };
  }
}
