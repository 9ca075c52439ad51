import type { BenchReport, FanOutResult, IdleResult } from '../results.js';
import type { ChartFile } from './charts.js';
import { previousRunTable } from './compare.js';
import { fanOutTable, idleTable, manyRoomsTable, mixedTable, renderMarkdown, twoInstanceTable, verdictTable } from './tables.js';

/** Every distinct raised limit with the workloads that raised it. */
function raisedLimits(results: (FanOutResult | IdleResult)[]): string[] {
  const byFlags = new Map<string, { flags: string; why: string; ids: string[] }>();
  for (const result of results) {
    if (result.raised === null || result.missing !== null) continue;
    // Grouped by flags and reason: the same flags can be raised for different reasons.
    const key = `${result.raised.flags.join(' ')}\n${result.raised.why}`;
    const entry = byFlags.get(key) ?? { flags: result.raised.flags.join(' '), why: result.raised.why, ids: [] };
    entry.ids.push(result.id);
    byFlags.set(key, entry);
  }
  return [...byFlags.values()].map(({ flags, why, ids }) => `- \`${flags}\` for ${ids.map((id) => `\`${id}\``).join(', ')}: ${why}.`);
}

const METHOD = `- **Servers.** Switchboard is the real \`switchboard serve\` (\`startServerProcess\` from
  \`server/test-support\`), a fresh process per workload on free ports, \`--log-level warn\`, default
  limits except where listed below. NATS is the machine's \`nats-server\` on 127.0.0.1:4222 when it
  answers (else one started from PATH on a free port), with a fresh subject per workload. Socket.IO is
  its chat example (\`socket.broadcast.emit('chat message', msg)\`, \`bench/peers/socket-io-server.ts\`),
  a fresh process per workload.
- **Two instances** (\`-x2\` workloads). Two \`switchboard serve\` processes with \`--redis\` (the
  Redis at the address below) and the same fresh \`--redis-prefix\`, so they share one room, and
  the same limits as the single-instance run they are compared with. Clients *0 … N/2 − 1* join
  instance A and the rest B, so the senders (spread over the room) are split too. Every chat line
  goes through the Redis stream, also to the sender's own instance. Server CPU and RSS are both
  instances summed; the event-loop figure behind *limited by* is the busier instance's; Redis's
  CPU is shown apart (from \`/proc\`, when its process can be told). The run's keys are deleted
  from Redis afterwards.
- **Load generator.** Its own process (\`dist/bench/main.js\`), separate from every server, with
  worker threads holding the clients (client *i* on thread *i* mod threads); the main thread only
  orchestrates and measures. Every client connects over loopback. Framed, line and NATS clients
  read the protocol straight from the socket's bytes; Switchboard's WebSocket clients use a minimal
  RFC 6455 client (\`bench/clients/raw-websocket.ts\`) because the \`ws\` package cost the generator
  about four times as much per message; Socket.IO's clients are \`socket.io-client\` with
  \`transports: ['websocket']\`.
- **Messages.** A 64-byte text \`~RUN SENDER SEQ SENT_US xxx…\`: the same bytes go through every
  server. A message is delivered to every other member of the room (N − 1 deliveries; NATS with
  \`echo: false\`, Socket.IO with \`socket.broadcast\`); Switchboard's WebSocket senders also get
  their own copy (\`self: true\`), which is not counted.
- **Saturating runs.** Each sender keeps at most *window* messages in flight (sent but not yet
  delivered to every other client), so the generator can't outrun the server into the slow-consumer
  cap and the figure is what the server sustains. Each workload warms up first, then the median of
  the measured repetitions (by deliveries/s) is shown. Deliveries/s = deliveries ÷ (last delivery −
  first send).
- **Many rooms** (\`rooms-N\`). N framed clients in R rooms: client *i* joins room ⌊*i*·R/N⌋
  after its welcome (\`/join #bench-07\`, then \`/part #lobby\`, each answered by the server before
  the client counts as connected), so every member is in its own room only and each room's
  members are spread over the generator threads. One saturating sender per room, with the same
  window as the other saturating runs and as many messages as makes a run's deliveries about those
  of the single-room \`framed-\` run of the profile's room size. A sender's expected deliveries are the
  other members of *its* room; a bench text that reaches a member of another room (in either text
  form, plain or \`[#room] NAME:\`) is counted as a cross-room delivery, not as a delivery, and
  any makes the bench exit 1.
- **Open-loop runs.** Messages are sent on a fixed schedule whatever the replies (all clients
  send, round robin), so queueing shows up as latency.
- **Latency.** The send time is in the text (CLOCK_MONOTONIC µs, shared by every thread); the
  receive time is taken when the client parses the delivery. Percentiles come from a log-bucketed
  histogram (1 % buckets) of every delivery.
- **Lost** = expected deliveries − deliveries received (each counted once, in order per sender; a
  run ends 2 s after the last delivery when some never come).
- **CPU and memory.** Server CPU is utime + stime from \`/proc/PID/stat\` over the run (10 ms
  ticks, so CPU µs/delivery is summed over all repetitions); it can pass 100 % for the
  multi-threaded NATS. RSS is VmRSS, peak is VmHWM from \`/proc/PID/status\`. Generator CPU is this
  process's user + system time (all threads). NATS on 4222 is shared with other users of the
  machine, so its memory figures are only indicative.
- **Idle memory.** A fresh server; RSS one second after start, then N connections, at most 200
  joining at a time (a client counts as joined when the server has answered it: its welcome, the
  WebSocket upgrade, NATS's PONG). Idle clients read everything, in a 50 ms burst once a second (so
  the generator leaves the CPU to the server); once nothing has arrived for 2.5 s, one more second, RSS
  again: (after − before) ÷ N. Nothing else is triggered (no GC). Switchboard announces each join to
  every member and Node accepts one connection per event-loop turn, so connecting N members costs
  N²/2 notices in about N separate writes to each member: that is most of the bench's running time,
  and the peak RSS includes that traffic.
- **Limited by** (saturating runs) is read from CPU: the server's, the generator's and the whole
  machine's (\`/proc/stat\`) over the run; see \`bench/bound.ts\`.`;

/**
 * Switchboard's figures beside those of the run this one replaced (the results.json it overwrote),
 * so that a change's before and after stand on one page. Nothing is judged: the machine's load at
 * each start is shown, and runs on two shared cores vary by tens of percent (performance.md).
 */
function previousRunSection(report: BenchReport, previous: BenchReport | null): string[] {
  if (previous === null) return [];
  const table = previousRunTable(previous, report);
  if (table.rows.length === 0) return [];
  const code = (run: BenchReport) => (run.commit === undefined ? '' : `, code at \`${run.commit}\``);
  return [
    '## Against the previous run',
    '',
    `Before: the run this page replaced (${previous.machine.date}${code(previous)}, load average at start ${previous.machine.loadAverageAtStart.join(' / ')}).`,
    `Now: this run (load average at start ${report.machine.loadAverageAtStart.join(' / ')}). Switchboard's workloads that both runs have.`,
    '',
    renderMarkdown(table),
    '',
  ];
}

/** `roomClients`: the single-room size of the profile, the many-rooms workloads' second comparison. */
export function markdownReport(report: BenchReport, charts: ChartFile[], chartDir: string, roomClients: number, previous: BenchReport | null): string {
  const { machine } = report;
  const all = [...report.fanOut, ...report.idle];
  const mixed = report.fanOut.find((result) => result.id.startsWith('mixed-'));
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`${report.command}\` on ${machine.date}${report.commit === undefined ? '' : ` (code at \`${report.commit}\`)`} in ${report.seconds.toFixed(0)} s. Do not edit by hand: run it again.`,
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPUs (\`nproc\`) | ${machine.cpus} |`,
    `| CPU model | ${machine.cpuModel} |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| kernel | ${machine.kernel} |`,
    `| node | ${machine.node} |`,
    `| nats-server | ${machine.natsServer} |`,
    `| socket.io | ${machine.socketIo} |`,
    `| load average at start | ${machine.loadAverageAtStart.join(' / ')} |`,
    `| \`ulimit -n\` | ${machine.openFileLimit} |`,
    `| generator threads | ${machine.generatorThreads} |`,
    '',
    '## How to run',
    '',
    '```sh',
    'npm run build',
    'npm run bench             # full run: writes this page, docs/bench/*.svg and docs/bench/results.json',
    'npm run bench -- --quick  # smoke test for CI (under a minute): every path, small sizes, writes to a temporary folder',
    '```',
    '',
    'The bench exits 0 whatever the verdicts (it fails only when it crashes). It needs `ulimit -n` above',
    'the largest idle run (10 000 connections in the full run) plus a few hundred. `--threads`, `--window`',
    'and `--only` are for experiments (`npm run bench -- --help`).',
    '',
    '## Targets',
    '',
    renderMarkdown(verdictTable(report.verdicts)),
    '',
    'What was changed to reach these figures, what each change measured, the CPU profile and why',
    'target a varies from run to run: [performance.md](performance.md) (written by hand).',
    '',
    '## Fan-out',
    '',
    renderMarkdown(fanOutTable(report.fanOut)),
    '',
    '### Mixed room, by receiving transport',
    '',
    renderMarkdown(mixedTable(mixed)),
    '',
    '## Many rooms',
    '',
    'One server, many small rooms: framed clients in rooms of ten, every member in its own room only,',
    'one saturating sender in each room (method below). Each row is compared with the single-room',
    'framed runs: `framed-N`, the same number of connections in one room, and the single-room',
    'headline size. Per delivery a small room costs more server CPU: each message\'s own work',
    '(reading, flood check, storing in the history, encoding once) is shared by 9 deliveries instead',
    'of 99 or 999; *CPU µs/message* shows that side. Framed clients because the single-room headline',
    'runs are framed, so the difference is the rooms, not the transport (the mixed room above measures',
    'transports). *cross-room* counts messages that reached a member of another room than their',
    'sender\'s, warm-ups included: it must be 0, and any makes the bench exit 1.',
    '',
    renderMarkdown(manyRoomsTable(report.fanOut, roomClients)),
    '',
    '## Two instances through Redis',
    '',
    'The same workloads on two Switchboard processes sharing the room through Redis (`--redis`), half',
    'of the framed clients and of the senders on each, next to the single-instance figures (1 → 2).',
    'Nothing is judged on them: they show what scale-out costs or gains on this machine, where both',
    'instances, Redis and the load generator share the same cores.',
    '',
    renderMarkdown(twoInstanceTable(report.fanOut)),
    '',
    ...previousRunSection(report, previous),
    '## Idle memory',
    '',
    renderMarkdown(idleTable(report.idle)),
    '',
    '## Charts',
    '',
    ...charts.flatMap((chart) => [`![${chart.title}](${chartDir}/${chart.name})`, '']),
    '## Limits raised',
    '',
    'Every Switchboard run uses `--log-level warn` and the default limits, except:',
    '',
    ...raisedLimits(all),
    '',
    '## Method',
    '',
    METHOD,
    '',
  ];
  if (report.notes.length > 0) lines.push('## Notes on this run', '', ...report.notes.map((note) => `- ${note}`), '');
  lines.push(`Peers: NATS — ${report.peers.nats}; Socket.IO — ${report.peers.socketIo}; Redis — ${report.peers.redis}. Raw figures: [results.json](${chartDir}/results.json).`, '');
  return lines.join('\n');
}
