import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { HalfSentRequests } from '../test-support/raw-http.js';
import { type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { onceWithin } from '../test-support/deadline.js';

describe('slowloris: half-sent HTTP requests (real server process, default limits)', () => {
  let server: ServerProcess;
  let halfSent: HalfSentRequests | undefined;
  before(async () => {
    server = await startServerProcess();
  });
  after(async () => {
    halfSent?.destroy();
    await server.stop();
  });

  it('1,500 from one IP: at most 1,000 are held (per-IP cap), chat clients from that IP still join and talk, and the 10 s header timeout drops the rest', async () => {
    const started = Date.now();
    halfSent = await HalfSentRequests.open(server.ports.http, 1500);
    await until(() => halfSent!.closed >= 500, 'the per-IP cap has closed the 500 oldest half-sent requests', 5000);

    const framed = await FramedClient.connect(server.ports.tcp);
    const line = await LineClient.connect(server.ports.line);
    const ws = await WsTestClient.connect(server.ports.http);
    framed.send('talking through a slowloris');
    await line.waitFor('talking through a slowloris');
    await ws.waitFor((event) => event.type === 'message' && event.text === 'talking through a slowloris');
    assert.ok(halfSent.open <= 1000 - 3, `${halfSent.open} half-sent requests held beside 3 chat clients from the same IP`);

    await until(() => halfSent!.open === 0, 'the header timeout has dropped every half-sent request', Math.max(0, started + 15_000 - Date.now()));
    framed.send('and after it');
    await ws.waitFor((event) => event.type === 'message' && event.text === 'and after it');
    ws.socket.close();
    await Promise.all([framed.close(), line.close(), ws.closed]);
  });

  it('closes an idle keep-alive connection after the 5 s keep-alive timeout', async () => {
    const socket = net.connect({ port: server.ports.http, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await onceWithin(socket, 'connect');
    let closed = false;
    socket.once('close', () => (closed = true));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => answer.includes('"status":"ok"'), 'the /healthz answer');
    assert.match(answer, /^HTTP\/1\.1 200 [^]*keep-alive: timeout=5/i);
    await until(() => closed, 'the server closed the idle keep-alive connection', 8000);
  });
});

describe('HTTP request timeout (real sockets)', () => {
  let server: RunningSwitchboard | undefined;
  after(async () => {
    await server?.close();
  });

  it('closes a connection whose request body never comes at --http-request-timeout, not before', async () => {
    server = await startTestServer({ httpHeaderTimeout: 1, httpRequestTimeout: 2 });
    const socket = net.connect({ port: server.ports.http, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.resume();
    let closed = false;
    socket.once('close', () => (closed = true));
    socket.write('POST /history HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(closed, false, 'headers were complete, so the 1 s header timeout does not apply');
    await until(() => closed, 'the request timeout closed the connection', 5000);
  });
});
