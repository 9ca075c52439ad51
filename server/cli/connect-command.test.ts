import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { freePort } from '../test-support/server-process.js';
import { FramedClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { parseAddress } from './connect-command.js';
import { formatIncoming } from './format-incoming.js';
import { until } from '../test-support/until.js';

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
    assert.match(cli.stderr(), /^switchboard: connection (closed by 127\.0\.0\.1:\d+|to 127\.0\.0\.1:\d+ lost: \w+)$/m);
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

  it('formats server payloads for the terminal, indenting continuation lines', () => {
    const shown = formatIncoming('2026-01-02 03:04:05 bob two\nlines', false);
    assert.match(shown, /^\[\d{2}:\d{2}:\d{2}\] bob: two\n {11}lines$/);
    assert.match(formatIncoming('2026-01-02 03:04:05 * alice joined (tcp)', false), /^\[\d{2}:\d{2}:\d{2}\] \* alice joined \(tcp\)$/);
    assert.equal(formatIncoming('not the server form', false), 'not the server form');
  });
});
