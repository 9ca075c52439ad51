import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { freePort } from '../test-support/server-process.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import net from 'node:net';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { parseAddress } from './connect-command.js';
import { formatIncoming } from './format-incoming.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const BIN = fileURLToPath(new URL('../../../bin/switchboard.js', import.meta.url));

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function spawnCli(args: string[]): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => out, stderr: () => err, exit };
}


describe('switchboard connect (spawned)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('sends piped input to another member, flushes and exits 0 when stdin closes', async () => {
    const listener = await FramedClient.connect(server.ports.tcp);
    const cli = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`, '--nick', 'piper']);
    cli.child.stdin.end('hello from a pipe\n2024-01-01 00:00:00 starts with a date\n');
    assert.equal(await cli.exit, 0, cli.stderr());
    assert.equal(seedDecode(await listener.waitFor('hello from a pipe')), 'piper hello from a pipe');
    assert.equal(seedDecode(await listener.waitFor('starts with')), 'piper 2024-01-01 00:00:00 starts with a date');
    await listener.close();
  });

  it('prints incoming messages with sender and local time', async () => {
    const cli = spawnCli(['connect', `:${server.ports.tcp}`]);
    await until(() => cli.stdout().includes('welcome to'), 'welcome');
    const talker = await FramedClient.connect(server.ports.tcp);
    talker.send('/nick talker');
    talker.send('hi there, cli');
    await until(() => cli.stdout().includes('talker: hi there, cli'), `message in ${cli.stdout()}`);
    assert.match(cli.stdout(), /^\[\d{2}:\d{2}:\d{2}\] talker: hi there, cli$/m);
    assert.ok(!cli.stdout().includes('\u001b['), 'colours without a terminal');
    cli.child.stdin.end();
    assert.equal(await cli.exit, 0);
    await talker.close();
  });

  it('exits 1 with a clear message when the server is unreachable', async () => {
    const port = await freePort();
    const cli = spawnCli(['connect', `127.0.0.1:${port}`]);
    cli.child.stdin.end();
    assert.equal(await cli.exit, 1);
    assert.match(cli.stderr(), new RegExp(`cannot connect to 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });

  it('exits 1 with a clear message when the server goes away', async () => {
    const own = await startTestServer();
    const cli = spawnCli(['connect', `127.0.0.1:${own.ports.tcp}`]);
    await until(() => cli.stdout().includes('welcome to'), 'welcome');
    await own.close();
    assert.equal(await cli.exit, 1);
    assert.match(cli.stderr(), /^switchboard: connection (closed by 127\.0\.0\.1:\d+(: server shutting down)?|to 127\.0\.0\.1:\d+ lost: \w+)$/m);
  });
});

describe('switchboard connect: limits and reasons (spawned)', () => {
  it('paces 500 piped lines to the limits its welcome announces: all arrive, none held back, exit 0', async () => {
    const server = await startTestServer({ rateLimit: 200, rateBurst: 50 });
    const listener = await FramedClient.connect(server.ports.tcp);
    const cli = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`, '--nick', 'bulk']);
    cli.child.stdin.end(Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join(''));
    assert.equal(await cli.exit, 0, cli.stderr());
    await until(() => listener.chat().length === 500, `500 lines delivered (got ${listener.chat().length})`, 10_000);
    assert.deepEqual(listener.chat().map(seedDecode), Array.from({ length: 500 }, (_, i) => `bulk line ${i}`));
    assert.ok(!cli.stdout().includes('slow down'), 'the server had to hold the client back');
    assert.equal(server.stats.errors.get('SB_ERR_RATE_LIMITED'), undefined);
    await listener.close();
    await server.close();
  });

  it('exits 1 when the server closes for a reason after stdin ended (shutting down with lines still paced)', async () => {
    const server = await startTestServer({ rateLimit: 5, rateBurst: 5 });
    const cli = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`]);
    cli.child.stdin.end(Array.from({ length: 100 }, (_, i) => `slow ${i}\n`).join(''));
    await until(() => cli.stdout().includes('welcome to'), 'welcome');
    await sleep(500);
    await server.close();
    assert.equal(await cli.exit, 1);
    assert.match(cli.stderr(), /^switchboard: connection closed by 127\.0\.0\.1:\d+: server shutting down$/m);
  });

  it('exits 1 with the reason when its server closes it for flooding, even after stdin ended', async () => {
    // A real peer that speaks the framed protocol and, once the client is done, says why it closes.
    const peer = net.createServer((socket) => {
      socket.write(encodeFrame(`2026-01-01 00:00:00 *** welcome to peer, you are ${socket.remoteAddress}:${socket.remotePort}; 0 other members here; limits: 65536 bytes per message; /help for commands`));
      socket.on('data', () => undefined);
      socket.on('end', () => {
        socket.end(encodeFrame('2026-01-01 00:00:01 *** error: flooding: over the rate limit for 60 s without a break; closing connection'));
      });
    });
    peer.listen(0, '127.0.0.1');
    await onceWithin(peer, 'listening');
    const { port } = peer.address() as net.AddressInfo;
    const cli = spawnCli(['connect', `127.0.0.1:${port}`]);
    cli.child.stdin.end('one line\n');
    assert.equal(await cli.exit, 1);
    assert.match(cli.stderr(), /connection closed by 127\.0\.0\.1:\d+: flooding: over the rate limit for 60 s without a break$/m);
    peer.close();
  });

  it('refuses a line over the server\'s size limit locally, sends the rest, and exits 1', async () => {
    const server = await startTestServer({ maxPayload: 1000 });
    const listener = await FramedClient.connect(server.ports.tcp);
    const cli = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`, '--nick', 'sizer']);
    cli.child.stdin.end(`short\n${'x'.repeat(2000)}\nafter\n`);
    assert.equal(await cli.exit, 1);
    assert.match(cli.stderr(), /^switchboard: line 2 not sent: 2020 bytes, over the server's limit of 1000$/m);
    await listener.waitFor('sizer after');
    assert.deepEqual(listener.chat().map(seedDecode), ['sizer short', 'sizer after']);
    assert.equal(server.stats.errors.get('SB_ERR_FRAME_TOO_LARGE'), undefined, 'the server never saw the long line');
    await listener.close();
    await server.close();
  });

  it('does not print the join replay when stdout is not a terminal, unless --history', async () => {
    const server = await startTestServer({ history: 10 });
    const speaker = await FramedClient.connect(server.ports.tcp);
    speaker.send('said before you came');
    await sleep(100);
    const quiet = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`]);
    const loud = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`, '--history']);
    await until(() => loud.stdout().includes('said before you came'), `the replay with --history (${loud.stdout()})`);
    await until(() => quiet.stdout().includes('1 earlier message follows'), 'the quiet client\'s welcome');
    speaker.send('said live');
    await until(() => quiet.stdout().includes('said live'), 'a live line');
    assert.ok(!quiet.stdout().includes('said before you came'), quiet.stdout());
    quiet.child.stdin.end();
    loud.child.stdin.end();
    assert.equal(await quiet.exit, 0);
    assert.equal(await loud.exit, 0);
    await speaker.close();
    await server.close();
  });
});

describe('switchboard connect --room', () => {
  it('joins the room once connected and talks there; its replay is that room\'s', async () => {
    const server = await startTestServer();
    const ops = await LineClient.connect(server.ports.line);
    const lobby = await FramedClient.connect(server.ports.tcp);
    ops.send('/join #ops');
    await ops.waitFor('you joined #ops');
    const cli = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`, '--nick', 'roomer', '--room', 'ops']);
    await ops.waitFor('roomer joined');
    cli.child.stdin.end('hello ops\n');
    assert.equal(await cli.exit, 0, cli.stderr());
    assert.equal(seedDecode(await ops.waitFor('hello ops')), 'roomer hello ops');
    lobby.send('sync');
    await ops.waitFor('sync');
    assert.ok(!lobby.received.some((payload) => payload.includes('hello ops')), 'the lobby heard #ops');
    await Promise.all([ops.close(), lobby.close()]);
    await server.close();
  });
});

describe('connect helpers', () => {
  it('parses host:port forms', () => {
    assert.deepEqual(parseAddress('example.org:99'), { host: 'example.org', port: 99 });
    assert.deepEqual(parseAddress(':4000'), { host: '127.0.0.1', port: 4000 });
    assert.deepEqual(parseAddress('somehost'), { host: 'somehost', port: 12345 });
    assert.deepEqual(parseAddress('[::1]:7'), { host: '::1', port: 7 });
    assert.throws(() => parseAddress('a:b:c'));
  });

  it('formats server payloads for the terminal: each sender token, ␤ as an indented continuation line', () => {
    const at = (payload: string) => formatIncoming(`2026-01-02 03:04:05 ${payload}`, false).replace(/^\[\d{2}:\d{2}:\d{2}\] /, '');
    assert.match(formatIncoming('2026-01-02 03:04:05 bob two\u2424lines', false), /^\[\d{2}:\d{2}:\d{2}\] bob: two\n {11}lines$/);
    assert.equal(at('*** alice joined (tcp)'), '*** alice joined (tcp)');
    assert.equal(at('* alice waves'), '* alice waves');
    assert.equal(at('[#ops] alice: deploy done'), '[#ops] alice: deploy done');
    assert.equal(at('*alice* psst'), '*alice* psst');
    assert.equal(formatIncoming('not the server form', false), 'not the server form');
  });
});
