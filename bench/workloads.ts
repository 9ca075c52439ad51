import { limitedBy } from './bound.js';
import { sleep } from './clock.js';
import { type RunMeasure, runFanOut } from './fan-out-run.js';
import type { GeneratorPool } from './generator/pool.js';
import { describeMix, mixTotal } from './mix.js';
import type { FanOutSpec, IdleSpec } from './plan.js';
import { totalCpuSeconds, totalMemoryBytes } from './proc-stats.js';
import type { FanOutResult, IdleResult, RaisedLimit } from './results.js';
import type { NatsPeer } from './targets/nats-target.js';
import { startSocketIoTarget } from './targets/socket-io-target.js';
import { type RedisPeer, startSwitchboardPair } from './targets/switchboard-pair-target.js';
import { startSwitchboardTarget } from './targets/switchboard-target.js';
import type { MissingPeer, Target, TargetName } from './targets/target.js';

/** What every workload shares: the generator, the NATS server, Redis, and run numbers that never repeat. */
export interface BenchContext {
  readonly pool: GeneratorPool;
  readonly nats: NatsPeer | MissingPeer;
  /** The Redis two-instance Switchboard runs share their room through. */
  readonly redis: RedisPeer | MissingPeer;
  /** A run ends this long after the last delivery when some never arrive. */
  readonly stallMs: number;
  /** CPU cores of this machine, shared by the server under test and the generator. */
  readonly cores: number;
  nextRun: number;
}

function isMissing(target: Target | MissingPeer): target is MissingPeer {
  return 'missing' in target && target.missing;
}

/** A fresh server (Switchboard, two of them, Socket.IO) or a fresh NATS subject for one workload. */
async function openTarget(context: BenchContext, name: TargetName, raised: RaisedLimit | null): Promise<Target | MissingPeer> {
  if (name === 'switchboard') return startSwitchboardTarget(raised?.flags ?? []);
  if (name === 'switchboard×2') return context.redis.missing ? context.redis : startSwitchboardPair(context.redis, raised?.flags ?? []);
  if (name === 'socket.io') return startSocketIoTarget();
  return context.nats.missing ? context.nats : context.nats.openRoom();
}

function median(runs: RunMeasure[]): RunMeasure | null {
  if (runs.length === 0) return null;
  const sorted = [...runs].sort((a, b) => a.deliveriesPerSecond - b.deliveriesPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Connects the room, warms both sides up, runs the measured repetitions, tears everything down. */
export async function runFanOutSpec(context: BenchContext, spec: FanOutSpec): Promise<FanOutResult> {
  const base: FanOutResult = {
    id: spec.id,
    title: spec.title,
    target: spec.target,
    mix: spec.mix,
    clients: mixTotal(spec.mix),
    rooms: spec.rooms,
    senders: spec.senders,
    perSender: spec.perSender,
    pace: spec.pace,
    raised: spec.raised,
    baseline: spec.baseline,
    missing: null,
    connectSeconds: 0,
    connectFailures: 0,
    crossRoom: 0,
    runs: [],
    result: null,
    limitedBy: '',
  };
  const target = await openTarget(context, spec.target, spec.raised);
  if (isMissing(target)) return { ...base, missing: target.why };
  const { pool } = context;
  try {
    const room = await pool.connect(target.endpoints, spec.mix, undefined, false, spec.rooms);
    base.connectSeconds = room.connectSeconds;
    base.connectFailures = room.failed;
    if (room.failed > 0) throw new Error(`${room.failed} of ${base.clients} clients could not connect: ${room.firstError}`);
    const plan = { senders: spec.senders, pace: spec.pace, stallMs: context.stallMs };
    for (let i = 0; i < spec.warmups; i += 1) base.crossRoom += (await runFanOut(pool, room, target, { ...plan, run: context.nextRun++, perSender: spec.warmupPerSender })).crossRoom;
    for (let i = 0; i < spec.reps; i += 1) base.runs.push(await runFanOut(pool, room, target, { ...plan, run: context.nextRun++, perSender: spec.perSender }));
    for (const run of base.runs) base.crossRoom += run.crossRoom;
  } finally {
    await pool.disconnect();
    await target.stop();
  }
  const result = median(base.runs);
  const limit = result === null || spec.pace.kind === 'rate' ? 'offered rate' : limitedBy(result, spec.target, context.cores, pool.size);
  return { ...base, result, limitedBy: result === null ? '' : limit };
}

/**
 * Holds `mix` idle connections on a fresh server: resident memory after the join traffic has
 * settled and a second has passed, minus what the server held before, per connection.
 */
export async function runIdleSpec(context: BenchContext, spec: IdleSpec): Promise<IdleResult> {
  const clients = mixTotal(spec.mix);
  const base: IdleResult = {
    id: spec.id,
    title: spec.title,
    target: spec.target,
    mix: spec.mix,
    clients,
    connected: 0,
    failed: 0,
    dropped: 0,
    raised: spec.raised,
    missing: null,
    shared: spec.target === 'nats' && !context.nats.missing && !context.nats.startedHere,
    connectSeconds: 0,
    serverConnectCpuSeconds: Number.NaN,
    generatorConnectCpuSeconds: Number.NaN,
    rssBeforeBytes: Number.NaN,
    rssAfterBytes: Number.NaN,
    peakRssBytes: Number.NaN,
    perConnectionBytes: Number.NaN,
  };
  const target = await openTarget(context, spec.target, spec.raised);
  if (isMissing(target)) return { ...base, missing: target.why };
  const { pool } = context;
  try {
    await sleep(1000);
    base.rssBeforeBytes = totalMemoryBytes(target.pids, 'VmRSS');
    const serverCpu = totalCpuSeconds(target.pids);
    const ownCpu = process.cpuUsage();
    const room = await pool.connect(target.endpoints, spec.mix, 200, true);
    const ownCpuAfter = process.cpuUsage(ownCpu);
    base.serverConnectCpuSeconds = totalCpuSeconds(target.pids) - serverCpu;
    base.generatorConnectCpuSeconds = (ownCpuAfter.user + ownCpuAfter.system) / 1e6;
    base.connectSeconds = room.connectSeconds;
    base.failed = room.failed;
    await sleep(1000);
    base.rssAfterBytes = totalMemoryBytes(target.pids, 'VmRSS');
    base.peakRssBytes = totalMemoryBytes(target.pids, 'VmHWM');
    const status = await pool.status();
    base.connected = status.clients - status.dropped;
    base.dropped = status.dropped;
    base.perConnectionBytes = (base.rssAfterBytes - base.rssBeforeBytes) / Math.max(1, base.connected);
    if (room.failed > 0) console.log(`  ${spec.id}: ${room.failed} of ${clients} (${describeMix(spec.mix)}) could not connect: ${room.firstError}`);
  } finally {
    await pool.disconnect();
    await target.stop();
  }
  return base;
}
