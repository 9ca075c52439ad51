import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BenchReport } from '../results.js';
import { previousRunTable, readPreviousReport } from './compare.js';

/** A report with one framed fan-out workload, one NATS one and one idle workload. */
function report(deliveriesPerSecond: number, perConnectionBytes: number, quick = false): BenchReport {
  const run = { deliveriesPerSecond, deliveries: 1000, serverCpuSeconds: 0.001, latency: { p50Ms: 1, p99Ms: 4, p999Ms: 5, maxMs: 6 } };
  const fanOut = (id: string, target: string) => ({ id, target, result: run, runs: [run] });
  return {
    quick,
    command: 'npm run bench',
    machine: { date: '2026-11-24T08:29:30.599Z', loadAverageAtStart: [0.42, 1.79, 1.87] },
    fanOut: [fanOut('framed-100', 'switchboard'), fanOut('nats-100', 'nats')],
    idle: [{ id: 'idle-framed', target: 'switchboard', missing: null, perConnectionBytes }],
  } as unknown as BenchReport;
}

describe('the comparison with the previous run', () => {
  it("puts Switchboard's figures of both runs side by side, now ÷ before; peers are left out", () => {
    const table = previousRunTable(report(1_000_000, 6000), report(1_500_000, 3000));
    assert.deepEqual(
      table.rows.map((row) => [row[0], row[1], row[4]]),
      [
        ['framed-100', 'deliveries/s', '1.50×'],
        ['framed-100', 'p99 ms', '1.00×'],
        ['framed-100', 'server CPU µs/delivery', '1.00×'],
        ['idle-framed', 'memory per connection', '0.50×'],
      ],
    );
  });

  it('skips a workload the previous run did not have', () => {
    const before = report(1_000_000, 6000);
    before.fanOut = [];
    before.idle = [];
    assert.deepEqual(previousRunTable(before, report(1, 1)).rows, []);
  });

  it('reads the previous results.json only when it exists, parses, and was made with the same profile', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'bench-compare-'));
    try {
      const path = join(dir, 'results.json');
      assert.equal(await readPreviousReport(path, false), null, 'no file');
      await writeFile(path, '{ not json');
      assert.equal(await readPreviousReport(path, false), null, 'garbage');
      await writeFile(path, JSON.stringify(report(1, 1, true)));
      assert.equal(await readPreviousReport(path, false), null, 'a --quick run is not compared with a full one');
      assert.equal((await readPreviousReport(path, true))?.quick, true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
