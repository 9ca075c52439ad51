import type { FanOutResult } from '../results.js';
import { formatCompact } from './format.js';
import { lineChart } from './svg-chart.js';

export interface ChartFile {
  name: string;
  title: string;
  svg: string;
}

const SWITCHBOARD = '#2563eb';
const NATS = '#16a34a';

function points(results: FanOutResult[], ids: { x: number; id: string }[], value: (result: FanOutResult) => number) {
  return ids.flatMap(({ x, id }) => {
    const result = results.find((candidate) => candidate.id === id);
    return result === undefined || result.result === null ? [] : [{ x, y: value(result) }];
  });
}

/** The two charts of the issue: deliveries/s against clients, p99 against the offered rate. */
export function buildCharts(results: FanOutResult[], clients: number[], rates: number[]): ChartFile[] {
  const dps = (result: FanOutResult) => result.result!.deliveriesPerSecond;
  const p99 = (result: FanOutResult) => result.result!.latency.p99Ms;
  return [
    {
      name: 'deliveries-vs-clients.svg',
      title: 'Deliveries/s against clients (saturating, framed TCP vs NATS)',
      svg: lineChart({
        title: 'Fan-out throughput by room size',
        xLabel: 'clients in the room (log scale)',
        yLabel: 'deliveries per second',
        xLog: true,
        formatY: formatCompact,
        series: [
          { name: 'Switchboard', color: SWITCHBOARD, points: points(results, clients.map((x) => ({ x, id: `framed-${x}` })), dps) },
          { name: 'NATS', color: NATS, points: points(results, clients.map((x) => ({ x, id: `nats-${x}` })), dps) },
        ],
      }),
    },
    {
      name: 'p99-vs-rate.svg',
      title: 'p99 latency against offered rate (open loop, 100 framed clients vs NATS)',
      svg: lineChart({
        title: 'p99 latency by offered rate',
        xLabel: 'messages per second into the room',
        yLabel: 'p99 latency, ms',
        xLog: false,
        formatY: formatCompact,
        series: [
          { name: 'Switchboard', color: SWITCHBOARD, points: points(results, rates.map((x) => ({ x, id: `rate-${x}-framed` })), p99) },
          { name: 'NATS', color: NATS, points: points(results, rates.map((x) => ({ x, id: `rate-${x}-nats` })), p99) },
        ],
      }),
    },
  ];
}
