import type { RunMeasure } from './fan-out-run.js';
import type { Pace } from './generator/protocol.js';
import type { Mix } from './mix.js';
import type { TargetName } from './targets/target.js';

/** Flags a Switchboard workload raised above the defaults, and why (printed and documented). */
export interface RaisedLimit {
  flags: string[];
  why: string;
}

/** One fan-out workload on one server: every measured repetition and the representative one. */
export interface FanOutResult {
  id: string;
  title: string;
  target: TargetName;
  mix: Mix;
  clients: number;
  /** Rooms the clients were spread over (1: the default room). */
  rooms: number;
  senders: number;
  perSender: number;
  pace: Pace;
  raised: RaisedLimit | null;
  /** The single-instance workload a two-instance one is compared with; null for the others. */
  baseline: string | null;
  /** Why this workload did not run (a missing peer); null when it did. */
  missing: string | null;
  connectSeconds: number;
  connectFailures: number;
  /** Deliveries to a member of another room than the sender's, over every run, warm-ups too: a server bug. */
  crossRoom: number;
  runs: RunMeasure[];
  /** The median repetition by deliveries/s (the only one for open-loop runs). */
  result: RunMeasure | null;
  /** What most likely capped the representative run (saturating runs), see bound.ts. */
  limitedBy: string;
}

/** Idle connections held open: the server's resident memory before and after. */
export interface IdleResult {
  id: string;
  title: string;
  target: TargetName;
  mix: Mix;
  clients: number;
  connected: number;
  failed: number;
  dropped: number;
  raised: RaisedLimit | null;
  missing: string | null;
  /** Another program's server (NATS on 4222) also serves others: its delta is only indicative. */
  shared: boolean;
  connectSeconds: number;
  /** CPU seconds the server and the generator spent connecting everyone (the join notices). */
  serverConnectCpuSeconds: number;
  generatorConnectCpuSeconds: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  peakRssBytes: number;
  perConnectionBytes: number;
}

export interface Verdict {
  id: string;
  claim: string;
  measured: string;
  target: string;
  /** null: not judged (a peer missing, or sizes reduced by --quick). */
  pass: boolean | null;
  note: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  natsServer: string;
  socketIo: string;
  kernel: string;
  date: string;
  loadAverageAtStart: number[];
  openFileLimit: number;
  generatorThreads: number;
}

export interface BenchReport {
  quick: boolean;
  command: string;
  machine: MachineInfo;
  peers: { nats: string; socketIo: string; redis: string };
  fanOut: FanOutResult[];
  idle: IdleResult[];
  verdicts: Verdict[];
  notes: string[];
  /** `git describe --always --dirty` of the code measured; absent in reports from before it was kept. */
  commit?: string;
  seconds: number;
}
