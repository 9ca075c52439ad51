/**
 * `npm run bench`: Switchboard's fan-out throughput, latency and idle memory against NATS and
 * Socket.IO on this machine; a table on stdout, docs/benchmarks.md with charts and raw JSON
 * (a full run only). Exits 0 whatever the verdicts; 1 when the bench itself fails, or when a
 * message reached a member of another room (a server bug, which CI's --quick run must catch).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowMs } from './clock.js';
import { GeneratorPool } from './generator/pool.js';
import { mixTotal } from './mix.js';
import { FULL, QUICK, USAGE, parseOptions } from './options.js';
import { fanOutSpecs, idleSpecs } from './plan.js';
import { openFileLimit } from './proc-stats.js';
import { buildCharts } from './report/charts.js';
import { previousRunTable, readPreviousReport } from './report/compare.js';
import { formatMs, formatRate, ratio } from './report/format.js';
import { currentCommit, machineInfo } from './report/machine-info.js';
import { markdownReport } from './report/markdown.js';
import { fanOutTable, idleTable, manyRoomsTable, mixedTable, renderText, twoInstanceTable, verdictTable } from './report/tables.js';
import type { BenchReport, FanOutResult, IdleResult } from './results.js';
import { findNats } from './targets/nats-target.js';
import { findBenchRedis } from './targets/switchboard-pair-target.js';
import { judge } from './verdicts.js';
import { type BenchContext, runFanOutSpec, runIdleSpec } from './workloads.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const started = nowMs();
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const base = options.quick ? QUICK : FULL;
  const profile = options.window === null ? base : { ...base, saturate: { ...base.saturate, window: options.window } };
  const notes: string[] = [];
  const fdLimit = openFileLimit();
  const largestIdle = Math.max(profile.idle.framed, profile.idle.ws, profile.idle.mixed, profile.idle.peers);
  if (fdLimit < largestIdle + 200) {
    throw new Error(`ulimit -n is ${fdLimit}: the idle runs hold ${largestIdle} connections; raise it (ulimit -n 65536) and run again`);
  }

  const nats = await findNats();
  const redis = await findBenchRedis();
  const pool = new GeneratorPool(options.threads);
  const machine = machineInfo(nats.missing ? null : nats.version, options.threads);
  const peers = {
    nats: nats.missing ? `MISSING (${nats.why})` : `nats-server v${nats.version} on 127.0.0.1:${nats.port}${nats.startedHere ? ', started by the bench' : ', already running'}`,
    socketIo: `socket.io ${machine.socketIo} chat example, started by the bench`,
    redis: redis.missing ? `MISSING (${redis.why})` : `${redis.url}, a fresh key prefix per two-instance run`,
  };
  console.log(`switchboard bench${options.quick ? ' --quick' : ''}: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, ${machine.natsServer}, load ${machine.loadAverageAtStart.join(' ')}`);
  console.log(`peers: NATS — ${peers.nats}; Socket.IO — ${peers.socketIo}; Redis — ${peers.redis}; generator: ${options.threads === 0 ? 'main thread' : `${options.threads} worker threads`}\n`);
  if (machine.loadAverageAtStart[0]! > 0.5) notes.push(`The machine was not idle at the start (load average ${machine.loadAverageAtStart.join(' / ')}): figures may be low or noisy.`);

  const context: BenchContext = { pool, nats, redis, stallMs: 2000, cores: machine.cpus, nextRun: 1 };
  const wanted = (id: string) => options.only === null || options.only.includes(id);
  const fanOut: FanOutResult[] = [];
  const idle: IdleResult[] = [];
  try {
    for (const spec of fanOutSpecs(profile).filter((candidate) => wanted(candidate.id))) {
      const result = await runFanOutSpec(context, spec);
      fanOut.push(result);
      const run = result.result;
      const raised = result.raised === null ? '' : `  [raised: ${result.raised.flags.join(' ')}]`;
      const single = fanOut.find((candidate) => candidate.id === spec.baseline)?.result;
      const versus = run === null || single === undefined || single === null ? '' : `  ${ratio(run.deliveriesPerSecond, single.deliveriesPerSecond)} of ${spec.baseline} (${formatRate(single.deliveriesPerSecond)}, p99 ${formatMs(single.latency.p99Ms)} ms)`;
      if (run === null) console.log(`  ${spec.id.padEnd(20)} MISSING: ${result.missing ?? 'no result'}`);
      else console.log(`  ${spec.id.padEnd(20)} ${formatRate(run.deliveriesPerSecond).padStart(10)}  p99 ${formatMs(run.latency.p99Ms).padStart(6)} ms  lost ${run.lost}  limited by ${result.limitedBy}${versus}${raised}`);
    }
    for (const spec of idleSpecs(profile).filter((candidate) => wanted(candidate.id))) {
      const result = await runIdleSpec(context, spec);
      idle.push(result);
      const raised = result.raised === null ? '' : `  [raised: ${result.raised.flags.join(' ')}]`;
      if (result.missing !== null) console.log(`  ${spec.id.padEnd(20)} MISSING: ${result.missing}`);
      else console.log(`  ${spec.id.padEnd(20)} ${mixTotal(spec.mix)} connections: ${(result.perConnectionBytes / 1024).toFixed(2)} KiB each, RSS ${(result.rssAfterBytes / 2 ** 20).toFixed(1)} MiB${raised}`);
    }
  } finally {
    await pool.close();
    if (!nats.missing) await nats.stop();
    if (!redis.missing) await redis.stop();
  }

  const verdicts = judge(fanOut, idle, options.quick, profile.roomClients, profile.rate, FULL.idle.mixed);
  for (const result of fanOut) {
    if (result.result !== null && result.limitedBy.startsWith('generator')) notes.push(`\`${result.id}\` was limited by the load generator: the server could have done more.`);
    if (result.crossRoom > 0) notes.push(`\`${result.id}\` delivered ${result.crossRoom} messages to members of another room than their sender's (counted as errors, not as deliveries): ${result.runs.flatMap((run) => run.errorSamples).filter((sample) => sample.startsWith('cross-room')).slice(0, 3).join(' | ') || 'see results.json'}.`);
    if (result.result !== null && result.result.lost > 0) notes.push(`\`${result.id}\` lost ${result.result.lost} deliveries; server errors seen: ${result.result.errorSamples.join(' | ') || 'none'}.`);
  }
  const report: BenchReport = {
    quick: options.quick,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    peers,
    fanOut,
    idle,
    verdicts,
    notes,
    commit: currentCommit(),
    seconds: (nowMs() - started) / 1000,
  };

  console.log(`\nFan-out\n${renderText(fanOutTable(fanOut))}`);
  const mixed = fanOut.find((result) => result.id.startsWith('mixed-'));
  if (mixed !== undefined) console.log(`\nMixed room, by receiving transport\n${renderText(mixedTable(mixed))}`);
  const manyRooms = manyRoomsTable(fanOut, profile.roomClients);
  if (manyRooms.rows.length > 0) console.log(`\nMany rooms, against one room\n${renderText(manyRooms)}`);
  const twoInstances = twoInstanceTable(fanOut);
  if (twoInstances.rows.length > 0) console.log(`\nTwo instances sharing the room through Redis, against one\n${renderText(twoInstances)}`);
  console.log(`\nIdle memory\n${renderText(idleTable(idle))}`);
  console.log(`\nTargets\n${renderText(verdictTable(verdicts))}`);
  for (const note of notes) console.log(`note: ${note.replaceAll('`', '')}`);

  const outDir = options.out ?? (options.quick ? await mkdtemp(join(os.tmpdir(), 'switchboard-bench-')) : join(ROOT, 'docs'));
  const chartDir = join(outDir, 'bench');
  await mkdir(chartDir, { recursive: true });
  const charts = buildCharts(fanOut, profile.scaleClients, profile.scaleRates);
  for (const chart of charts) await writeFile(join(chartDir, chart.name), chart.svg);
  const previous = await readPreviousReport(join(chartDir, 'results.json'), options.quick);
  if (previous !== null) console.log(`\nAgainst the previous run (${previous.machine.date}${previous.commit === undefined ? '' : `, ${previous.commit}`})\n${renderText(previousRunTable(previous, report))}`);
  await writeFile(join(chartDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'benchmarks.md'), markdownReport(report, charts, relative(outDir, chartDir), profile.roomClients, previous));
  const crossRoom = fanOut.reduce((sum, result) => sum + result.crossRoom, 0);
  if (crossRoom > 0) {
    console.error(`bench failed: ${crossRoom} messages reached members of another room than their sender's (see the notes)`);
    process.exitCode = 1;
  }
  console.log(`\nwrote ${join(outDir, 'benchmarks.md')}, ${chartDir}/{${charts.map((chart) => chart.name).join(',')},results.json} in ${report.seconds.toFixed(0)} s`);
}

try {
  await main();
} catch (error) {
  if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  }
}
