import type { FanOutResult, IdleResult, Verdict } from './results.js';
import { formatBytes, formatRate, ratio } from './report/format.js';

const KB = 1024;
const MB = 1024 * 1024;

/** Server CPU per delivery over every measured repetition (one run is too short for 10 ms CPU ticks). */
export function cpuUsPerDelivery(result: FanOutResult): number {
  let cpu = 0;
  let deliveries = 0;
  for (const run of result.runs) {
    cpu += run.serverCpuSeconds;
    deliveries += run.deliveries;
  }
  return deliveries > 0 ? (cpu * 1e6) / deliveries : Number.NaN;
}

function missingNote(...results: (FanOutResult | IdleResult | undefined)[]): string | null {
  for (const result of results) {
    if (result === undefined) return 'not run';
    if (result.missing !== null) return `${result.target} missing: ${result.missing}`;
  }
  return null;
}

/** The issue's targets, judged on this run's results. */
export function judge(fanOut: FanOutResult[], idle: IdleResult[], quick: boolean, roomClients: number, rate: number, fullMixed: number): Verdict[] {
  const find = (id: string) => fanOut.find((result) => result.id === id);
  const findIdle = (id: string) => idle.find((result) => result.id === id);
  const verdicts: Verdict[] = [];
  const quickNote = quick ? '--quick sizes: indicative only' : '';

  function compare(id: string, claim: string, target: string, ours: FanOutResult | undefined, theirs: FanOutResult | undefined, test: (a: number, b: number) => boolean, show: (a: number, b: number) => string, metric: (result: FanOutResult) => number): void {
    const missing = missingNote(ours, theirs);
    if (missing !== null || ours === undefined || theirs === undefined || ours.result === null || theirs.result === null) {
      verdicts.push({ id, claim, measured: '—', target, pass: null, note: missing ?? 'no result' });
      return;
    }
    const a = metric(ours);
    const b = metric(theirs);
    verdicts.push({ id, claim, measured: show(a, b), target, pass: test(a, b), note: quickNote });
  }

  const dps = (result: FanOutResult) => result.result!.deliveriesPerSecond;
  const p99 = (result: FanOutResult) => result.result!.latency.p99Ms;
  compare('a', `framed TCP fan-out, ${roomClients} clients, saturating: deliveries/s vs NATS`, '≥ 1.3× NATS', find(`framed-${roomClients}`), find(`nats-${roomClients}`), (a, b) => a >= 1.3 * b, (a, b) => `${formatRate(a)} vs ${formatRate(b)} = ${ratio(a, b)}`, dps);
  compare('b', `${rate} msgs/s into ${roomClients} framed clients: p99 vs NATS p99`, '≤ NATS p99 + 2 ms', find(`rate-${rate}-framed`), find(`rate-${rate}-nats`), (a, b) => a <= b + 2, (a, b) => `${a.toFixed(2)} ms vs ${b.toFixed(2)} ms`, p99);
  compare('c', `WebSocket fan-out, ${roomClients} clients, saturating: deliveries/s vs Socket.IO`, '≥ 3× Socket.IO', find(`ws-${roomClients}`), find(`socketio-${roomClients}`), (a, b) => a >= 3 * b, (a, b) => `${formatRate(a)} vs ${formatRate(b)} = ${ratio(a, b)}`, dps);

  const idleVerdict = (id: string, resultId: string, claim: string, limit: number, target: string, value: (result: IdleResult) => number, judged: boolean) => {
    const result = findIdle(resultId);
    const missing = missingNote(result);
    if (missing !== null || result === undefined) {
      verdicts.push({ id, claim, measured: '—', target, pass: null, note: missing ?? 'not run' });
      return;
    }
    const measured = value(result);
    const lost = result.failed + result.dropped > 0 ? `; ${result.failed} failed, ${result.dropped} dropped` : '';
    verdicts.push({ id, claim, measured: `${formatBytes(measured)}${lost}`, target, pass: judged ? measured <= limit && result.failed + result.dropped === 0 : null, note: judged ? quickNote : `--quick holds fewer connections than the target's ${fullMixed}` });
  };
  const framedIdle = findIdle('idle-framed');
  const wsIdle = findIdle('idle-ws');
  idleVerdict('d1', 'idle-framed', `idle memory per framed TCP connection (${framedIdle?.clients ?? '?'} held)`, 6 * KB, '≤ 6 KiB', (result) => result.perConnectionBytes, true);
  idleVerdict('d2', 'idle-ws', `idle memory per WebSocket connection (${wsIdle?.clients ?? '?'} held)`, 12 * KB, '≤ 12 KiB', (result) => result.perConnectionBytes, true);
  const mixedIdle = findIdle('idle-mixed');
  idleVerdict('d3', 'idle-mixed', `server RSS with ${mixedIdle?.clients ?? '?'} mixed connections held`, 150 * MB, '< 150 MiB', (result) => result.rssAfterBytes, (mixedIdle?.clients ?? 0) >= fullMixed);

  const framed = find(`framed-${roomClients}`);
  for (const [id, kind] of [['e1', 'line'], ['e2', 'ws']] as const) {
    compare(id, `cost per delivery, ${kind} vs framed (server CPU per delivery, ${roomClients}-client single-transport rooms)`, '≤ 2× framed', find(`${kind}-${roomClients}`), framed, (a, b) => a <= 2 * b, (a, b) => `${a.toFixed(3)} vs ${b.toFixed(3)} µs = ${ratio(a, b)}; deliveries/s ${formatRate(dps(find(`${kind}-${roomClients}`)!))} vs ${formatRate(dps(framed!))}`, cpuUsPerDelivery);
  }
  return verdicts;
}
