import type { RunMeasure } from './fan-out-run.js';
import type { TargetName } from './targets/target.js';

/** Share of a resource above which it counts as saturated. */
const BUSY = 0.85;

/**
 * What most likely capped a saturating run, from the CPU both sides used. The server under
 * test and the generator share this machine's cores, so a run can be bound by the machine
 * (every core busy, whoever made it so), by the generator (its threads busy, the server not), by a single-threaded
 * server's one core, or by neither (the window: round trips, not CPU).
 */
export function limitedBy(run: RunMeasure, target: TargetName, cores: number, generatorThreads: number): string {
  if (run.crossRoom > 0) return 'cross-room deliveries (a server bug)';
  if (run.lost > 0) return 'losses';
  const server = run.serverCpuPercent / 100;
  const generator = run.generatorCpuPercent / 100;
  // Redis behind a shared room is part of the system under test, not another program.
  const helper = Number.isFinite(run.helperCpuPercent) ? run.helperCpuPercent / 100 : 0;
  if (target !== 'nats' && run.serverMainThreadCpuPercent / 100 >= BUSY) return target === 'switchboard×2' ? 'server (an instance\'s event loop)' : 'server (event loop, one core)';
  if (run.machineBusyPercent >= BUSY * 100) {
    const others = run.machineBusyPercent / 100 - (server + generator + helper) / cores;
    return others > 0.15 ? `machine (all cores busy, ${Math.round(others * 100)} % by other programs)` : 'machine (all cores busy)';
  }
  if (generator >= BUSY * Math.min(generatorThreads, cores)) return 'generator';
  if (target === 'nats' && server >= BUSY * (cores - generator)) return 'server';
  return 'window / round trips';
}
