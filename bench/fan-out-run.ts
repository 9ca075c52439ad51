import type { ClientKind } from './clients/bench-client.js';
import { nowMs, nowUs, sleep } from './clock.js';
import type { GeneratorPool, PoolRoom } from './generator/pool.js';
import { PROGRESS_ALL_SENT, PROGRESS_LAST_DELIVERY_US, PROGRESS_RECEIVED, PROGRESS_STRIDE, type Pace, type SharedRun, type WorkerRunReport } from './generator/protocol.js';
import { Histogram, type LatencySummary } from './histogram.js';
import { cpuSeconds, machineCpuTicks, totalCpuSeconds, totalMemoryBytes } from './proc-stats.js';
import { roomSizes } from './rooms.js';
import type { Target } from './targets/target.js';

export interface RunPlan {
  run: number;
  senders: number;
  perSender: number;
  pace: Pace;
  /** A run ends this long after the last delivery when some never arrive. */
  stallMs: number;
}

export interface RunMeasure {
  deliveries: number;
  expected: number;
  lost: number;
  selfEchoes: number;
  duplicates: number;
  outOfOrder: number;
  /** Bench texts delivered to a member of another room than their sender's: never expected. */
  crossRoom: number;
  serverErrors: number;
  errorSamples: string[];
  droppedClients: number;
  /** First send to last delivery. */
  seconds: number;
  deliveriesPerSecond: number;
  messagesPerSecond: number;
  latency: LatencySummary;
  latencyByKind: Partial<Record<ClientKind, LatencySummary>>;
  /** Every server process of the target, summed (both instances of a shared room). */
  serverCpuSeconds: number;
  /** Of one core (a multi-threaded server such as NATS, or two instances, can pass 100). */
  serverCpuPercent: number;
  /**
   * The server's main thread alone, of one core: a Node server's event loop saturates at 100.
   * With several instances, the busiest one's.
   */
  serverMainThreadCpuPercent: number;
  /** Processes the servers rely on (Redis for a shared room), of one core; NaN when none or unknown. */
  helperCpuPercent: number;
  /** Server CPU time per delivery, in microseconds. */
  serverCpuUsPerDelivery: number;
  /** Summed over the server processes, like the CPU. */
  serverRssBytes: number;
  serverPeakRssBytes: number;
  /** The load generator's CPU (this process, all threads), of one core. */
  generatorCpuPercent: number;
  /** The whole machine's busy CPU over the run, as a share of all its cores (100 = every core busy). */
  machineBusyPercent: number;
  /** Open loop: the generator's worst lateness against the schedule. */
  maxSendLagMs: number;
}

/** Lead time so every thread starts sending at the same instant. */
const START_LEAD_MS = 20;

function sharedRun(senders: number, perSender: number, threads: number): SharedRun {
  return {
    threadsDone: new SharedArrayBuffer(4 * senders * perSender),
    completed: new SharedArrayBuffer(4 * senders),
    progress: new SharedArrayBuffer(8 * PROGRESS_STRIDE * threads),
    stop: new SharedArrayBuffer(4),
  };
}

function merge(reports: WorkerRunReport[]): { latency: Histogram; byKind: Map<ClientKind, Histogram> } & Omit<WorkerRunReport, 'latency' | 'latencyByKind'> {
  const latency = new Histogram();
  const byKind = new Map<ClientKind, Histogram>();
  const totals = { selfEchoes: 0, duplicates: 0, outOfOrder: 0, stale: 0, crossRoom: 0, serverErrors: 0, errorSamples: [] as string[], maxSendLagMs: 0 };
  for (const report of reports) {
    latency.merge(Histogram.from(report.latency));
    for (const [kind, state] of Object.entries(report.latencyByKind) as [ClientKind, WorkerRunReport['latency']][]) {
      const histogram = byKind.get(kind) ?? new Histogram();
      histogram.merge(Histogram.from(state));
      byKind.set(kind, histogram);
    }
    totals.selfEchoes += report.selfEchoes;
    totals.duplicates += report.duplicates;
    totals.outOfOrder += report.outOfOrder;
    totals.stale += report.stale;
    totals.crossRoom += report.crossRoom;
    totals.serverErrors += report.serverErrors;
    totals.errorSamples.push(...report.errorSamples);
    totals.maxSendLagMs = Math.max(totals.maxSendLagMs, report.maxSendLagMs);
  }
  return { latency, byKind, ...totals };
}

/** The main threads' CPU so far, one entry per server process. */
function mainThreadCpu(pids: readonly (number | undefined)[]): number[] {
  return pids.map((pid) => cpuSeconds(pid, pid));
}

/** The processes a run measures: the target's servers and what they rely on. */
export type RunProcesses = Pick<Target, 'pids' | 'helperPids'>;

/** Runs one workload on a connected room and measures it and the target's processes. */
export async function runFanOut(pool: GeneratorPool, room: PoolRoom, processes: RunProcesses, plan: RunPlan): Promise<RunMeasure> {
  const { pids, helperPids } = processes;
  const clients = room.kinds.length;
  const { roomOf } = room.layout;
  const senders = Math.min(plan.senders, clients);
  // Senders spread over the clients: in a mixed room they are of every kind; over several rooms
  // (contiguous blocks, rooms.ts), a multiple of the rooms puts the same number in each.
  const senderClient = Array.from({ length: senders }, (_, slot) => Math.floor((slot * clients) / senders));
  // A sender's receivers are the other members of its room.
  const threadsNeeded = senderClient.map((sender) => {
    const threads = new Set<number>();
    for (let index = 0; index < clients; index += 1) if (index !== sender && roomOf[index] === roomOf[sender]) threads.add(pool.threadOf(index));
    return threads.size;
  });
  const sizes = roomSizes(room.layout);
  const shared = sharedRun(senders, plan.perSender, pool.size);
  const startUs = nowUs() + START_LEAD_MS * 1000;
  await pool.startRun({ run: plan.run, kinds: room.kinds, roomOf, senderClient, threadsNeeded, perSender: plan.perSender, pace: plan.pace, startUs }, shared);
  await sleep(Math.max(0, (startUs - nowUs()) / 1000));
  const cpuBefore = totalCpuSeconds(pids);
  const mainCpuBefore = mainThreadCpu(pids);
  const helperBefore = totalCpuSeconds(helperPids);
  const ownCpuBefore = process.cpuUsage();
  const machineBefore = machineCpuTicks();
  const startMs = nowMs();

  const progress = new Float64Array(shared.progress);
  const expected = senderClient.reduce((sum, sender) => sum + plan.perSender * (sizes[roomOf[sender]!]! - 1), 0);
  const sum = (field: number) => {
    let total = 0;
    for (let thread = 0; thread < pool.size; thread += 1) total += progress[thread * PROGRESS_STRIDE + field]!;
    return total;
  };
  let lastCount = -1;
  let lastChange = nowMs();
  for (;;) {
    const received = sum(PROGRESS_RECEIVED);
    if (received >= expected) break;
    if (received !== lastCount) {
      lastCount = received;
      lastChange = nowMs();
    } else if (nowMs() - lastChange > plan.stallMs && (sum(PROGRESS_ALL_SENT) === pool.size || plan.pace.kind === 'saturate')) {
      break;
    }
    await sleep(5);
  }
  const endMs = nowMs();
  const cpuAfter = totalCpuSeconds(pids);
  const mainCpuAfter = mainThreadCpu(pids);
  const helperAfter = totalCpuSeconds(helperPids);
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const machineAfter = machineCpuTicks();
  const reports = await pool.finishRun();
  const merged = merge(reports);
  const deliveries = sum(PROGRESS_RECEIVED);
  let lastDeliveryUs = 0;
  for (let thread = 0; thread < pool.size; thread += 1) lastDeliveryUs = Math.max(lastDeliveryUs, progress[thread * PROGRESS_STRIDE + PROGRESS_LAST_DELIVERY_US]!);

  const seconds = Math.max(1e-6, deliveries > 0 ? (lastDeliveryUs - startUs) / 1e6 : (endMs - startMs) / 1000);
  const wallSeconds = (endMs - startMs) / 1000;
  const serverCpu = cpuAfter - cpuBefore;
  const busiestMainThread = Math.max(...mainCpuAfter.map((after, at) => after - mainCpuBefore[at]!));
  const latencyByKind: Partial<Record<ClientKind, LatencySummary>> = {};
  for (const [kind, histogram] of merged.byKind) latencyByKind[kind] = histogram.summary();
  return {
    deliveries,
    expected,
    lost: expected - deliveries,
    selfEchoes: merged.selfEchoes,
    duplicates: merged.duplicates,
    outOfOrder: merged.outOfOrder,
    crossRoom: merged.crossRoom,
    serverErrors: merged.serverErrors,
    errorSamples: merged.errorSamples,
    droppedClients: (await pool.status()).dropped,
    seconds,
    deliveriesPerSecond: deliveries / seconds,
    messagesPerSecond: (senders * plan.perSender) / seconds,
    latency: merged.latency.summary(),
    latencyByKind,
    serverCpuSeconds: serverCpu,
    serverCpuPercent: (serverCpu / wallSeconds) * 100,
    serverMainThreadCpuPercent: (busiestMainThread / wallSeconds) * 100,
    helperCpuPercent: helperPids.length === 0 ? Number.NaN : ((helperAfter - helperBefore) / wallSeconds) * 100,
    serverCpuUsPerDelivery: deliveries > 0 ? (serverCpu * 1e6) / deliveries : Number.NaN,
    serverRssBytes: totalMemoryBytes(pids, 'VmRSS'),
    serverPeakRssBytes: totalMemoryBytes(pids, 'VmHWM'),
    generatorCpuPercent: ((ownCpu.user + ownCpu.system) / 1e6 / wallSeconds) * 100,
    machineBusyPercent: ((machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total)) * 100,
    maxSendLagMs: merged.maxSendLagMs,
  };
}
