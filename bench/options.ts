import { parseArgs } from 'node:util';
import type { Mix } from './mix.js';

export interface BenchOptions {
  quick: boolean;
  /** Generator worker threads; 0 runs the generator in the main thread. */
  threads: number;
  /** Where results go; null: docs/ for a full run, a temporary folder for --quick. */
  out: string | null;
  /** Run only these workload ids (development); null: all. */
  only: string[] | null;
  /** Saturating runs' in-flight window per sender; null: the profile's. */
  window: number | null;
  help: boolean;
}

export const USAGE = `npm run bench [-- options]   (after npm run build)

  --quick          small sizes, under a minute, for CI: every path runs, nothing is judged on
                   time, docs/ is left alone (results go to a temporary folder)
  --threads N      load-generator worker threads (default 2; 0 = in the main thread)
  --out DIR        write benchmarks.md, results.json and the charts to DIR instead
  --only IDS       comma-separated workload ids to run (e.g. framed-100,nats-100)
  --window N       saturating senders' in-flight messages each (default 64)
  --help           this text`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      threads: { type: 'string', default: '2' },
      out: { type: 'string' },
      only: { type: 'string' },
      window: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 0 || threads > 16) throw new Error(`--threads: "${values.threads}" is not 0..16`);
  const window = values.window === undefined ? null : Number(values.window);
  if (window !== null && (!Number.isInteger(window) || window < 1)) throw new Error(`--window: "${values.window}" is not a positive integer`);
  return {
    quick: values.quick,
    window,
    threads,
    out: values.out ?? null,
    only: values.only === undefined ? null : values.only.split(',').map((id) => id.trim()),
    help: values.help,
  };
}

/** Sizes of every workload; the full run's are the issue's, --quick's are small. */
export interface Profile {
  /** Saturating runs: senders × messages each, window, repetitions (median reported), warm-ups. */
  saturate: { senders: number; perSender: number; window: number; reps: number; warmups: number };
  /** Clients of the main fan-out rooms (workloads a, c, e). */
  roomClients: number;
  mixed: Mix;
  /** Open-loop runs: seconds measured, seconds of warm-up at the same rate. */
  rateSeconds: number;
  rateWarmupSeconds: number;
  /** Aggregate rate of workload b, msgs/s. */
  rate: number;
  scaleClients: number[];
  scaleRates: number[];
  /** The many-rooms workload: `count` rooms of `members` framed clients each. */
  rooms: { count: number; members: number };
  idle: { framed: number; ws: number; mixed: number; peers: number };
}

export const FULL: Profile = {
  saturate: { senders: 10, perSender: 200, window: 64, reps: 5, warmups: 2 },
  roomClients: 100,
  mixed: { tcp: 34, line: 33, ws: 33 },
  rateSeconds: 5,
  rateWarmupSeconds: 1,
  rate: 1000,
  scaleClients: [10, 100, 1000],
  scaleRates: [250, 500, 1000, 2000],
  rooms: { count: 100, members: 10 },
  idle: { framed: 5000, ws: 5000, mixed: 10_000, peers: 5000 },
};

export const QUICK: Profile = {
  saturate: { senders: 10, perSender: 50, window: 64, reps: 2, warmups: 1 },
  roomClients: 100,
  mixed: { tcp: 10, line: 10, ws: 10 },
  rateSeconds: 1,
  rateWarmupSeconds: 0.3,
  rate: 1000,
  scaleClients: [10, 100],
  scaleRates: [500, 1000],
  rooms: { count: 10, members: 10 },
  idle: { framed: 500, ws: 500, mixed: 1000, peers: 500 },
};
