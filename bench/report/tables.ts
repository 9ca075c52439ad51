import type { ClientKind } from '../clients/bench-client.js';
import { describeMix } from '../mix.js';
import type { RunMeasure } from '../fan-out-run.js';
import type { FanOutResult, IdleResult, Verdict } from '../results.js';
import { cpuUsPerDelivery } from '../verdicts.js';
import { formatBytes, formatMs, formatPercent, formatRate, ratio } from './format.js';

/** A table as data: the console and the markdown report render the same rows. */
export interface Table {
  header: string[];
  rows: string[][];
}

function pace(result: FanOutResult): string {
  return result.pace.kind === 'saturate' ? `saturating (window ${result.pace.window})` : `${result.pace.perSecond} msgs/s`;
}

function lost(run: RunMeasure): string {
  return run.lost === 0 ? '0' : `${run.lost} (${((run.lost / run.expected) * 100).toFixed(2)} %)`;
}

/** `tcp 1000`, or `tcp 1000 in 100 rooms` for a many-rooms workload. */
function clientsOf(result: FanOutResult): string {
  return result.rooms > 1 ? `${describeMix(result.mix)} in ${result.rooms} rooms` : describeMix(result.mix);
}

export function fanOutTable(results: FanOutResult[]): Table {
  const header = ['workload', 'server', 'clients', 'senders × msgs', 'pace', 'deliveries/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'lost', 'server CPU', 'CPU µs/delivery', 'server RSS', 'generator CPU', 'limited by'];
  const rows = results.map((result) => {
    const head = [result.id, result.target, clientsOf(result), `${result.senders} × ${result.perSender}`, pace(result)];
    const run = result.result;
    if (run === null) return [...head, result.missing === null ? 'no result' : 'MISSING', '', '', '', '', '', '', '', '', '', ''];
    return [
      ...head,
      formatRate(run.deliveriesPerSecond),
      formatMs(run.latency.p50Ms),
      formatMs(run.latency.p99Ms),
      formatMs(run.latency.p999Ms),
      formatMs(run.latency.maxMs),
      lost(run),
      formatPercent(run.serverCpuPercent),
      cpuUsPerDelivery(result).toFixed(3),
      formatBytes(run.serverRssBytes),
      formatPercent(run.generatorCpuPercent),
      result.limitedBy,
    ];
  });
  return { header, rows };
}

/** `single → double` of one latency percentile. */
function latencyPair(single: RunMeasure | null, double: RunMeasure, pick: (run: RunMeasure) => number): string {
  return `${single === null ? '—' : formatMs(pick(single))} → ${formatMs(pick(double))}`;
}

/**
 * The two-instance runs (two Switchboards sharing the room through Redis, clients and senders
 * split half and half) next to the same workload on one instance: deliveries/s and their ratio.
 */
export function twoInstanceTable(results: FanOutResult[]): Table {
  const header = ['workload', 'pace', 'deliveries/s, 1 instance', 'deliveries/s, 2 instances', '2 / 1', 'p50 ms, 1 → 2', 'p99 ms, 1 → 2', 'p99.9 ms, 1 → 2', 'lost, 1 / 2', 'CPU: 2 instances / Redis', 'limited by (2 instances)'];
  const rows = results
    .filter((result) => result.baseline !== null)
    .map((result) => {
      const single = results.find((candidate) => candidate.id === result.baseline)?.result ?? null;
      const head = [result.id, pace(result), single === null ? '—' : formatRate(single.deliveriesPerSecond)];
      const run = result.result;
      if (run === null) return [...head, result.missing === null ? 'no result' : `MISSING: ${result.missing}`, '', '', '', '', '', '', ''];
      return [
        ...head,
        formatRate(run.deliveriesPerSecond),
        single === null ? '—' : ratio(run.deliveriesPerSecond, single.deliveriesPerSecond),
        latencyPair(single, run, (measure) => measure.latency.p50Ms),
        latencyPair(single, run, (measure) => measure.latency.p99Ms),
        latencyPair(single, run, (measure) => measure.latency.p999Ms),
        `${single === null ? '—' : lost(single)} / ${lost(run)}`,
        `${formatPercent(run.serverCpuPercent)} / ${formatPercent(run.helperCpuPercent)}`,
        result.limitedBy,
      ];
    });
  return { header, rows };
}

/**
 * Server CPU per message sent, over every measured repetition: per delivery, a room of ten pays
 * each message's own work (reading, storing, encoding once) over 9 deliveries, not 99.
 */
function cpuUsPerMessage(result: FanOutResult): number {
  const cpu = result.runs.reduce((sum, run) => sum + run.serverCpuSeconds, 0);
  const messages = result.runs.length * result.senders * result.perSender;
  return messages > 0 ? (cpu * 1e6) / messages : Number.NaN;
}

/**
 * The many-rooms workloads next to the single-room framed runs with as many clients (`framed-N`,
 * same connections in one room) and with the single-room size (`framed-<roomClients>`), when they
 * ran: deliveries/s, tail latency and server CPU per delivery, and the cross-room deliveries seen
 * (warm-ups included).
 */
export function manyRoomsTable(results: FanOutResult[], roomClients: number): Table {
  const header = ['workload', 'rooms × members', 'senders × msgs', 'deliveries/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'lost', 'cross-room', 'CPU µs/delivery', 'CPU µs/message', 'server RSS', 'vs framed-N (one room)', `vs framed-${roomClients}`];
  const versus = (result: FanOutResult, id: string): string => {
    const other = results.find((candidate) => candidate.id === id);
    if (other?.result === undefined || other.result === null || result.result === null) return '—';
    return `${id}: ${formatRate(other.result.deliveriesPerSecond)}, p99 ${formatMs(other.result.latency.p99Ms)} ms, ${cpuUsPerDelivery(other).toFixed(3)} µs/delivery, ${cpuUsPerMessage(other).toFixed(1)} µs/message`;
  };
  const rows = results
    .filter((result) => result.rooms > 1)
    .map((result) => {
      const head = [result.id, `${result.rooms} × ${result.clients / result.rooms}`, `${result.senders} × ${result.perSender}`];
      const run = result.result;
      if (run === null) return [...head, result.missing === null ? 'no result' : `MISSING: ${result.missing}`, '', '', '', '', '', '', '', '', '', ''];
      return [
        ...head,
        formatRate(run.deliveriesPerSecond),
        formatMs(run.latency.p50Ms),
        formatMs(run.latency.p99Ms),
        formatMs(run.latency.p999Ms),
        lost(run),
        String(result.crossRoom),
        cpuUsPerDelivery(result).toFixed(3),
        cpuUsPerMessage(result).toFixed(1),
        formatBytes(run.serverRssBytes),
        versus(result, `framed-${result.clients}`),
        result.clients === roomClients ? '(same)' : versus(result, `framed-${roomClients}`),
      ];
    });
  return { header, rows };
}

/** Per-transport latency in the mixed room, against the framed clients of the same room. */
export function mixedTable(result: FanOutResult | undefined): Table {
  const header = ['receivers', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'p99 vs framed'];
  const byKind = result?.result?.latencyByKind ?? {};
  const framedP99 = byKind.tcp?.p99Ms ?? Number.NaN;
  const rows = (Object.entries(byKind) as [ClientKind, NonNullable<(typeof byKind)[ClientKind]>][]).map(([kind, latency]) => [
    `${kind} (${result?.mix[kind] ?? 0})`,
    formatMs(latency.p50Ms),
    formatMs(latency.p99Ms),
    formatMs(latency.p999Ms),
    formatMs(latency.maxMs),
    ratio(latency.p99Ms, framedP99),
  ]);
  return { header, rows };
}

export function idleTable(results: IdleResult[]): Table {
  const header = ['workload', 'server', 'connections', 'RSS before', 'RSS after', 'per connection', 'peak RSS', 'failed / dropped', 'connect + settle s', 'CPU s server / generator'];
  const rows = results.map((result) => {
    const head = [result.id, result.target + (result.shared ? ' (shared)' : ''), describeMix(result.mix)];
    if (result.missing !== null) return [...head, 'MISSING', '', '', '', '', '', ''];
    return [
      ...head,
      formatBytes(result.rssBeforeBytes),
      formatBytes(result.rssAfterBytes),
      formatBytes(result.perConnectionBytes),
      formatBytes(result.peakRssBytes),
      `${result.failed} / ${result.dropped}`,
      result.connectSeconds.toFixed(1),
      `${result.serverConnectCpuSeconds.toFixed(1)} / ${result.generatorConnectCpuSeconds.toFixed(1)}`,
    ];
  });
  return { header, rows };
}

export function verdictTable(verdicts: Verdict[]): Table {
  const header = ['', 'target', 'measured', 'goal', 'verdict'];
  const rows = verdicts.map((verdict) => [
    verdict.id,
    verdict.claim,
    verdict.measured,
    verdict.target,
    (verdict.pass === null ? 'not judged' : verdict.pass ? 'PASS' : 'FAIL') + (verdict.note === '' ? '' : ` (${verdict.note})`),
  ]);
  return { header, rows };
}

/** Fixed-width text for the console. */
export function renderText(table: Table): string {
  const widths = table.header.map((cell, column) => Math.max(cell.length, ...table.rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(table.header), widths.map((width) => '-'.repeat(width)).join('  '), ...table.rows.map(line)].join('\n');
}

export function renderMarkdown(table: Table): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)].join('\n');
}
