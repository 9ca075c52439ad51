import { readFile } from 'node:fs/promises';
import type { BenchReport, FanOutResult } from '../results.js';
import { cpuUsPerDelivery } from '../verdicts.js';
import { formatBytes, formatMs, formatRate, ratio } from './format.js';
import type { Table } from './tables.js';

/**
 * The run a new one is compared with: the results.json the new run is about to overwrite. Issues
 * ask that a change "does not regress beyond noise", which needs the figures from before the change
 * beside the ones after it, on the same page; keeping them in git history alone hides them.
 * Returns null when there is none, it cannot be read, or it was made with another profile.
 */
export async function readPreviousReport(path: string, quick: boolean): Promise<BenchReport | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const previous = JSON.parse(text) as BenchReport;
    if (previous.quick !== quick || !Array.isArray(previous.fanOut) || !Array.isArray(previous.idle)) return null;
    return previous;
  } catch {
    return null;
  }
}

function isSwitchboard(result: { target: string }): boolean {
  return result.target.startsWith('switchboard');
}

function measured(result: FanOutResult | undefined): result is FanOutResult & { result: NonNullable<FanOutResult['result']> } {
  return result !== undefined && result.result !== null;
}

/**
 * Switchboard's own workloads present in both runs: throughput, p99 and CPU per delivery, then
 * idle memory per connection. The change column is now ÷ before (for deliveries/s higher is
 * better; for the others lower is).
 */
export function previousRunTable(previous: BenchReport, current: BenchReport): Table {
  const header = ['workload', 'figure', 'before', 'now', 'now ÷ before'];
  const rows: string[][] = [];
  for (const now of current.fanOut.filter(isSwitchboard)) {
    const before = previous.fanOut.find((candidate) => candidate.id === now.id);
    if (!measured(now) || !measured(before)) continue;
    rows.push(
      [now.id, 'deliveries/s', formatRate(before.result.deliveriesPerSecond), formatRate(now.result.deliveriesPerSecond), ratio(now.result.deliveriesPerSecond, before.result.deliveriesPerSecond)],
      [now.id, 'p99 ms', formatMs(before.result.latency.p99Ms), formatMs(now.result.latency.p99Ms), ratio(now.result.latency.p99Ms, before.result.latency.p99Ms)],
      [now.id, 'server CPU µs/delivery', cpuUsPerDelivery(before).toFixed(3), cpuUsPerDelivery(now).toFixed(3), ratio(cpuUsPerDelivery(now), cpuUsPerDelivery(before))],
    );
  }
  for (const now of current.idle.filter(isSwitchboard)) {
    const before = previous.idle.find((candidate) => candidate.id === now.id);
    if (before === undefined || before.missing !== null || now.missing !== null) continue;
    rows.push([now.id, 'memory per connection', formatBytes(before.perConnectionBytes), formatBytes(now.perConnectionBytes), ratio(now.perConnectionBytes, before.perConnectionBytes)]);
  }
  return { header, rows };
}
