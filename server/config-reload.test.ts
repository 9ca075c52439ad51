import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { IrcTestClient } from './test-support/irc-client.js';
import { BIN, NODE_FLAGS, freePort } from './test-support/server-process.js';
import { FramedClient, LineClient } from './test-support/test-clients.js';
import { until } from './test-support/until.js';
import { WsTestClient } from './test-support/ws-client.js';

const OLD_TOKEN = 'old-token-0123456789abcdef';
const NEW_TOKEN = 'new-token-0123456789abcdef';

interface Spawned {
  child: ChildProcess;
  ports: { tcp: number; line: number; http: number; irc: number };
  file: string;
  log(): string;
  /** Log lines that contain `text`. */
  lines(text: string): string[];
}

/** `rate_limit` and the token are what the tests change; every port is in the file, none a flag. */
function configText(irc: number, rateLimit: number, token: string, extra = ''): string {
  return `[listeners]
tcp_port = 0
line_port = 0
http_port = 0
irc_port = ${irc}

[history]
data_dir = ":memory:"

[limits]
rate_limit = ${rateLimit}

[api]
tokens = [{ name = "ci", token = "${token}" }]
${extra}`;
}

/** `switchboard serve --config FILE`, as systemd's unit runs it; resolves once it listens. */
async function spawnWithConfig(text: string, dir: string): Promise<Spawned> {
  const file = join(dir, 'switchboard.toml');
  writeFileSync(file, text);
  const child = spawn(process.execPath, [...NODE_FLAGS, BIN, 'serve', '--config', file, '--log-pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit').then(() => {
    throw new Error(`server exited: ${output}`);
  });
  const listening = until(() => output.includes('"listening'), 'the server listens', 15_000);
  await Promise.race([listening, exited]);
  exited.catch(() => undefined);
  const entry = JSON.parse(output.split('\n').find((line) => line.includes('"listening'))!) as Spawned['ports'];
  return {
    child,
    ports: { tcp: entry.tcp, line: entry.line, http: entry.http, irc: entry.irc },
    file,
    log: () => output,
    lines: (text) => output.split('\n').filter((line) => line.includes(text)),
  };
}

async function post(http: number, token: string, text: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${http}/api/rooms/lobby/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Sends SIGHUP and waits for the `count`-th reload log line containing `marker`. */
async function hangUp(server: Spawned, marker: string, count = 1): Promise<string> {
  server.child.kill('SIGHUP');
  await until(() => server.lines(marker).length >= count, `log line ${marker} #${count}: ${server.log().slice(-2000)}`);
  return server.lines(marker)[count - 1]!;
}

describe('SIGHUP re-reads --config (spawned switchboard serve)', () => {
  let server: Spawned | undefined;
  let dir: string | undefined;
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    if (server !== undefined && server.child.exitCode === null) {
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      await exited;
    }
    server = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function start(text: (irc: number) => string): Promise<Spawned> {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-reload-'));
    server = await spawnWithConfig(text(await freePort()), dir);
    return server;
  }

  it('applies a new limit and API token; framed, line, page and IRC members stay and chat', async () => {
    const running = await start((irc) => configText(irc, 20, OLD_TOKEN));
    const framed = await FramedClient.connect(running.ports.tcp);
    const line = await LineClient.connect(running.ports.line);
    const page = await WsTestClient.connect(running.ports.http);
    const irc = await IrcTestClient.register(running.ports.irc, 'ircy');
    cleanups.push(() => framed.socket.destroy(), () => line.socket.destroy(), () => page.close(), () => irc.socket.destroy());
    irc.send('JOIN #lobby');
    await irc.waitFor(/ 366 /);
    assert.equal(await post(running.ports.http, OLD_TOKEN, 'before'), 201);

    writeFileSync(running.file, configText(running.ports.irc, 7, NEW_TOKEN));
    const reloaded = await hangUp(running, 'SIGHUP: reloaded');
    assert.match(reloaded, /changed limits\.rate_limit 20 -> 7, api\.tokens/);
    assert.doesNotMatch(reloaded, /needs a restart/);
    assert.ok(!reloaded.includes(NEW_TOKEN), 'no token in the log');

    assert.equal(await post(running.ports.http, NEW_TOKEN, 'from the new token'), 201);
    assert.equal(await post(running.ports.http, OLD_TOKEN, 'from the old token'), 401);
    await line.waitFor(/ci\[bot\].*from the new token/);
    // A member connecting now is told the new limit.
    const fresh = await LineClient.connect(running.ports.line);
    cleanups.push(() => fresh.socket.destroy());
    assert.ok(fresh.received.some((payload) => /limits: 7 messages\/s/.test(payload)), fresh.received.join('\n'));

    // Nobody was dropped: everyone still hears everyone.
    framed.send('framed after the reload');
    await line.waitFor('framed after the reload');
    await page.waitForText('framed after the reload');
    await irc.waitFor(/PRIVMSG #lobby :framed after the reload$/);
    irc.send('PRIVMSG #lobby :irc after the reload');
    await framed.waitFor('irc after the reload');
    await page.waitForText('irc after the reload');
    page.send({ type: 'send', text: 'page after the reload' });
    await line.waitFor('page after the reload');
    line.send('line after the reload');
    await irc.waitFor(/PRIVMSG #lobby :line after the reload$/);
  });

  it('a file that fails validation changes nothing and the log says where and why', async () => {
    const running = await start((irc) => configText(irc, 20, OLD_TOKEN));
    const line = await LineClient.connect(running.ports.line);
    cleanups.push(() => line.socket.destroy());
    writeFileSync(running.file, configText(running.ports.irc, 0, NEW_TOKEN, '[limits]\n'));
    const refused = await hangUp(running, 'has errors; the running configuration stays');
    assert.match(refused, /switchboard\.toml:\d+: /);
    writeFileSync(running.file, configText(running.ports.irc, 7, NEW_TOKEN).replace('rate_limit = 7', 'rate_limit = "fast"'));
    const typed = await hangUp(running, 'has errors; the running configuration stays', 2);
    assert.match(typed, /switchboard\.toml:11: limits\.rate_limit: must be an integer/);
    assert.equal(await post(running.ports.http, OLD_TOKEN, 'still the old token'), 201);
    assert.equal(await post(running.ports.http, NEW_TOKEN, 'not yet'), 401);
    await line.waitFor(/still the old token/);
  });

  it('a port change is logged as needing a restart and not applied', async () => {
    const running = await start((irc) => configText(irc, 20, OLD_TOKEN));
    const line = await LineClient.connect(running.ports.line);
    cleanups.push(() => line.socket.destroy());
    const other = await freePort();
    writeFileSync(running.file, configText(running.ports.irc, 5, OLD_TOKEN).replace('line_port = 0', `line_port = ${other}`));
    const reloaded = await hangUp(running, 'SIGHUP: reloaded');
    assert.match(reloaded, /changed limits\.rate_limit 20 -> 5; needs a restart, not applied: listeners\.line_port/);
    // Still on the old port, and nothing on the new one.
    const again = await LineClient.connect(running.ports.line);
    cleanups.push(() => again.socket.destroy());
    line.send('still here');
    await again.waitFor('still here');
    const probe = net.connect(other, '127.0.0.1');
    const [error] = (await once(probe, 'error')) as [NodeJS.ErrnoException];
    assert.equal(error.code, 'ECONNREFUSED');
    // A second SIGHUP with the same file says the same: the port still waits for a restart.
    const second = await hangUp(running, 'SIGHUP: reloaded', 2);
    assert.match(second, /nothing changed; needs a restart, not applied: listeners\.line_port/);
    assert.ok(readFileSync(running.file, 'utf8').includes(`line_port = ${other}`));
  });
});
