import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { FramedClient, LineClient } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the framed and line ports send on shutdown: the server's `DATE TIME * text` notice form. */
const SHUTDOWN_NOTICE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \*\*\* server shutting down$/;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the exit was seen. */
  at: number;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, at: performance.now() }));
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}


/** The error code of a TCP connection attempt, or 'connected'. */
async function connectOutcome(port: number): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  try {
    await onceWithin(socket, 'connect');
    return 'connected';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  } finally {
    socket.destroy();
  }
}

/**
 * A member that, once welcomed, stops reading and never closes its side (allowHalfOpen): the
 * server's graceful end of this connection cannot complete, so it keeps a shutdown going.
 * `text()` is everything that arrived while it was still reading; `drain()` reads the rest.
 */
async function connectStubborn(port: number): Promise<{ socket: net.Socket; text: () => string; drain: () => Promise<string> }> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  await onceWithin(socket, 'connect');
  await until(() => received.includes('welcome to'), 'welcome for the stubborn member');
  socket.pause();
  return {
    socket,
    text: () => received,
    async drain() {
      const ended = once(socket, 'end');
      socket.resume();
      await ended;
      return received;
    },
  };
}

/** The JSON log lines of a spawned server. */
function logEntries(log: string): Record<string, unknown>[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('switchboard serve: graceful shutdown (spawned, real sockets)', () => {
  let server: ServerProcess | undefined;
  const sockets: (net.Socket | WebSocket)[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      if (socket instanceof WebSocket) socket.terminate();
      else socket.destroy();
    }
    if (server !== undefined && running(server.child)) server.child.kill('SIGKILL');
    server = undefined;
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: framed, line and WS members get the shutting-down notice, the server closes each connection, exit 0 within 5 s`, async () => {
      server = await startServerProcess();
      const framed = await FramedClient.connect(server.ports.tcp);
      const line = await LineClient.connect(server.ports.line);
      const ws = await WsTestClient.connect(server.ports.http);
      sockets.push(framed.socket, line.socket, ws.socket);
      // None of them ever ends its side: an 'end' is the server's FIN.
      const framedEnded = once(framed.socket, 'end');
      const lineEnded = once(line.socket, 'end');
      const exit = exitOf(server.child);

      const sent = performance.now();
      server.child.kill(signal);
      const { code, signal: killedBy, at } = await exit;
      const elapsed = at - sent;

      assert.equal(code, 0, server.log());
      assert.equal(killedBy, null);
      assert.ok(elapsed < 5000, `exited ${Math.round(elapsed)} ms after ${signal}`);

      assert.match(await framed.waitFor('server shutting down', 1000), SHUTDOWN_NOTICE);
      assert.match(framed.received.at(-1)!, SHUTDOWN_NOTICE, 'the notice is the last frame');
      await framedEnded;
      await framed.closed;

      assert.match(await line.waitFor('server shutting down', 1000), SHUTDOWN_NOTICE);
      assert.match(line.received.at(-1)!, SHUTDOWN_NOTICE, 'the notice is the last line');
      await lineEnded;
      await line.closed;

      const notice = await ws.waitFor((event) => event.type === 'notice' && event.text === 'server shutting down', 1000);
      assert.deepEqual({ ...notice, time: 0 }, { type: 'notice', kind: 'info', time: 0, text: 'server shutting down', code: 'SB_ERR_SHUTTING_DOWN' });
      assert.deepEqual(await ws.closed, { code: 1001, reason: 'SB_ERR_SHUTTING_DOWN' });

      const log = logEntries(server.log());
      assert.ok(log.some((entry) => entry['msg'] === 'shutting down' && entry['signal'] === signal));
      assert.ok(log.some((entry) => entry['msg'] === 'closed every connection' && entry['members'] === 3));
      assert.equal(log.at(-1)?.['msg'], 'stopped');
    });
  }

  it('after the signal the TCP ports refuse connections (ECONNREFUSED) and /ws refuses the upgrade with 503', async () => {
    // The stubborn member keeps the process in its shutdown (about 2 s: the per-connection close
    // grace) while new connections are tried.
    server = await startServerProcess(undefined, ['--shutdown-timeout', '30']);
    const stubborn = await connectStubborn(server.ports.line);
    sockets.push(stubborn.socket);
    const exit = exitOf(server.child);
    server.child.kill('SIGTERM');
    const log = server.log;
    await until(() => log().includes('"msg":"closed every connection"'), 'shutdown started');

    assert.equal(await connectOutcome(server.ports.tcp), 'ECONNREFUSED');
    assert.equal(await connectOutcome(server.ports.line), 'ECONNREFUSED');

    const late = new WebSocket(`ws://127.0.0.1:${server.ports.http}/ws`);
    sockets.push(late);
    late.on('error', () => undefined);
    late.on('open', () => assert.fail('the upgrade was accepted during the shutdown'));
    const [, response] = (await onceWithin(late, 'unexpected-response')) as [unknown, { statusCode?: number; headers: Record<string, unknown> }];
    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '5');

    assert.ok(running(server.child), 'all of this happened while the server was still shutting down');
    assert.equal((await exit).code, 0, server.log());
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`a second ${signal} during a slow shutdown exits at once with status 130`, async () => {
      server = await startServerProcess(undefined, ['--shutdown-timeout', '30']);
      const stubborn = await connectStubborn(server.ports.tcp);
      sockets.push(stubborn.socket);
      const exit = exitOf(server.child);
      server.child.kill(signal);
      await sleep(300);
      assert.ok(running(server.child), 'still shutting down 300 ms after the first signal');
      const log = server.log;
      await until(() => new RegExp(`"signal":"${signal}","msg":"shutting down"`).test(log()), 'the first signal is logged');

      const second = performance.now();
      server.child.kill(signal);
      const { code, signal: killedBy, at } = await exit;
      assert.equal(code, 130, server.log());
      assert.equal(killedBy, null);
      assert.ok(at - second < 1000, `exited ${Math.round(at - second)} ms after the second signal`);
      assert.match(server.log(), new RegExp(`"signal":"${signal}","msg":"second signal: exiting now"`));
    });
  }

  it('--shutdown-timeout 2: a member that never reads nor closes is cut at 1.5 s and the process exits 0 on its own', async () => {
    server = await startServerProcess(undefined, ['--shutdown-timeout', '2']);
    const stubborn = await connectStubborn(server.ports.line);
    sockets.push(stubborn.socket);
    const exit = exitOf(server.child);
    const sent = performance.now();
    server.child.kill('SIGTERM');
    const { code, at } = await exit;
    const elapsed = at - sent;
    assert.equal(code, 0, server.log());
    // It waited for the member (timeout minus 0.5 s), then cut it, well before the forced exit.
    assert.ok(elapsed >= 1400 && elapsed < 3000, `exited ${Math.round(elapsed)} ms after SIGTERM`);
    const log = logEntries(server.log());
    assert.ok(log.some((entry) => entry['msg'] === 'shutdown timeout: cutting remaining connections' && entry['open'] === 1));
    assert.ok(!log.some((entry) => entry['msg'] === 'shutdown did not finish in time; exiting'));
    // The notice was sent to it all the same: it is there once the member reads.
    const lines = (await stubborn.drain()).split('\n').filter((text) => text.length > 0);
    assert.match(lines.at(-1)!, SHUTDOWN_NOTICE);
  });

  it('an HTTP connection without a whole request (a preconnect, a half-sent request) does not hold the exit past the timeout', async () => {
    server = await startServerProcess(undefined, ['--shutdown-timeout', '2']);
    const silent = net.connect(server.ports.http, '127.0.0.1');
    const halfRequest = net.connect(server.ports.http, '127.0.0.1');
    for (const socket of [silent, halfRequest]) {
      sockets.push(socket);
      socket.on('error', () => undefined);
      await onceWithin(socket, 'connect');
    }
    halfRequest.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await sleep(200);
    const exit = exitOf(server.child);
    const sent = performance.now();
    server.child.kill('SIGTERM');
    const { code, at } = await exit;
    const elapsed = at - sent;
    assert.equal(code, 0, server.log());
    assert.ok(elapsed < 2000, `exited ${Math.round(elapsed)} ms after SIGTERM`);
    assert.ok(!server.log().includes('shutdown did not finish in time'), server.log());
  });
});
