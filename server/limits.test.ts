import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { Session, SessionInput } from './hub/session.js';
import type { RunningSwitchboard } from './switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from './test-support/test-clients.js';
import { WsTestClient } from './test-support/ws-client.js';
import { onceWithin } from './test-support/deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('flood limit (held back, not dropped)', () => {
  let server: RunningSwitchboard | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('holds back messages over the rate with one notice, then delivers them all in order', async () => {
    server = await startTestServer({ rateLimit: 5, rateBurst: 5 });
    const sender = await FramedClient.connect(server.ports.tcp);
    const listener = await LineClient.connect(server.ports.line);
    const started = Date.now();
    for (let i = 0; i < 12; i += 1) sender.send(`burst ${i}`);
    assert.match(await sender.waitFor('slow down'), /\* slow down: over 5 messages\/s or 262144 bytes\/s; your input is held back and will follow in order$/);
    await listener.waitFor('burst 11', 5000);
    const took = Date.now() - started;
    assert.ok(took >= 1200, `12 messages at 5/s after a burst of 5 took only ${took} ms`);
    const chat = listener.chat().map(seedDecode).map((t) => t.split(' ').slice(1).join(' '));
    assert.deepEqual(chat, Array.from({ length: 12 }, (_, i) => `burst ${i}`));
    assert.equal(sender.received.filter((p) => p.includes('slow down')).length, 1, 'one notice per run');
    await Promise.all([sender.close(), listener.close()]);
  });

  it('holds back by bytes: 10 messages of 60 KB at 100 KB/s arrive whole, in order, over about 5 s', async () => {
    server = await startTestServer({ rateLimitBytes: 100_000, rateBurstBytes: 100_000 });
    const sender = await FramedClient.connect(server.ports.tcp);
    const listener = await FramedClient.connect(server.ports.tcp);
    const started = Date.now();
    for (let i = 0; i < 10; i += 1) sender.send(`big ${i} ${'b'.repeat(60_000)}`);
    await listener.waitFor('big 9 ', 15_000);
    const took = Date.now() - started;
    assert.ok(took >= 4000, `600 KB at 100 KB/s (burst 100 KB) took only ${took} ms`);
    assert.deepEqual(
      listener.chat().map((p) => p.split(' ').slice(3, 5).join(' ')),
      Array.from({ length: 10 }, (_, i) => `big ${i}`),
    );
    await Promise.all([sender.close(), listener.close()]);
  });

  it('closes a sender held back without a break for --flood-disconnect seconds; the room goes on', async () => {
    server = await startTestServer({ rateLimit: 5, rateBurst: 5, floodDisconnect: 1 });
    const sender = await FramedClient.connect(server.ports.tcp);
    const listener = await LineClient.connect(server.ports.line);
    for (let i = 0; i < 40; i += 1) sender.send(`flood ${i}`);
    assert.match(await sender.waitFor('flooding', 5000), /\* error: flooding: over the rate limit for 1 s without a break; closing connection$/);
    await sender.closed;
    await listener.waitFor(/left \(SB_ERR_RATE_LIMITED\)/);
    const other = await FramedClient.connect(server.ports.tcp);
    other.send('room still fine');
    await listener.waitFor('room still fine');
    await Promise.all([listener.close(), other.close()]);
  });

  it('closes a sender whose held-back input passes --max-input-queue', async () => {
    server = await startTestServer({ rateLimit: 1, rateBurst: 1, maxInputQueue: 4096 });
    const sender = await LineClient.connect(server.ports.line);
    sender.writeRaw(Array.from({ length: 100 }, (_, i) => `line ${i} ${'q'.repeat(100)}\n`).join(''));
    assert.match(await sender.waitFor('flooding'), /error: flooding: \d+ bytes of input waiting, over the 4096-byte limit; closing connection$/);
    await sender.closed;
  });

  it('--rate-limit 0 turns it off', async () => {
    server = await startTestServer({ rateLimit: 0, rateLimitBytes: 0 });
    const sender = await FramedClient.connect(server.ports.tcp);
    const listener = await FramedClient.connect(server.ports.tcp);
    for (let i = 0; i < 300; i += 1) sender.send(`m${i}`);
    await listener.waitFor(/ m299$/);
    assert.equal(listener.chat().length, 300);
    assert.ok(!sender.received.some((p) => p.includes('slow down')));
    await Promise.all([sender.close(), listener.close()]);
  });
});

describe('connection limits', () => {
  let server: RunningSwitchboard | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('refuses connections past --max-connections on every transport, then admits again when one leaves', async () => {
    server = await startTestServer({ maxConnections: 2 });
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await LineClient.connect(server.ports.line);
    const refusedTcp = net.connect(server.ports.tcp, '127.0.0.1');
    let refusedBytes = '';
    refusedTcp.on('data', (chunk: Buffer) => (refusedBytes += chunk.subarray(4).toString('utf8')));
    await onceWithin(refusedTcp, 'close');
    assert.match(refusedBytes, /\* error: server full: 2 connections; closing connection$/);

    // A WebSocket over the cap is upgraded only to be told why: an error event, then close 1013.
    const refusedWs = await WsTestClient.refused(server.ports.http);
    assert.deepEqual(
      refusedWs.events.map((event) => (event.type === 'error' ? [event.code, event.message] : event.type)),
      [['SB_ERR_TOO_MANY_CONNECTIONS', 'server full: 2 connections']],
    );
    assert.equal(refusedWs.code, 1013);

    await a.close();
    const c = await FramedClient.connect(server.ports.tcp);
    c.send('admitted after a slot freed');
    await b.waitFor('admitted after a slot freed');
    await Promise.all([b.close(), c.close()]);
    assert.equal(server.stats.errors.get('SB_ERR_TOO_MANY_CONNECTIONS'), 2);
  });

  it('counts --max-connections-per-ip per source address (127.0.0.2 is another IP)', async () => {
    server = await startTestServer({ maxConnectionsPerIp: 1 });
    const first = await FramedClient.connect(server.ports.tcp);
    const sameIp = net.connect({ port: server.ports.tcp, host: '127.0.0.1' });
    let said = '';
    sameIp.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
    await onceWithin(sameIp, 'close');
    assert.match(said, /too many connections from 127\.0\.0\.1: 1 at most/);
    const otherIp = net.connect({ port: server.ports.tcp, host: '127.0.0.1', localAddress: '127.0.0.2' });
    let welcome = '';
    otherIp.on('data', (chunk: Buffer) => (welcome += chunk.toString('utf8')));
    while (!welcome.includes('welcome')) await onceWithin(otherIp, 'data');
    assert.match(welcome, /you are 127\.0\.0\.2:\d+/);
    otherIp.destroy();
    await first.close();
  });
});

describe('dead and idle peers', () => {
  let server: RunningSwitchboard | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('terminates a WebSocket that stops answering pings; one that answers stays', async () => {
    server = await startTestServer({ wsPingInterval: 0.15 });
    const healthy = await WsTestClient.connect(server.ports.http);
    const mute = new WebSocket(`ws://127.0.0.1:${server.ports.http}/ws`, { autoPong: false });
    mute.on('error', () => undefined);
    await onceWithin(mute, 'open');
    const started = Date.now();
    await onceWithin(mute, 'close');
    assert.ok(Date.now() - started < 2000, 'not terminated within two ping periods');
    await sleep(400);
    assert.equal(healthy.socket.readyState, WebSocket.OPEN);
    await healthy.close();
  });

  it('closes a connection idle for --idle-timeout with a notice; keepalive frames count as activity', async () => {
    server = await startTestServer({ idleTimeout: 0.4 });
    const idle = await FramedClient.connect(server.ports.tcp);
    const chatty = await FramedClient.connect(server.ports.tcp);
    const keepalive = setInterval(() => chatty.writeRaw(Buffer.alloc(4)), 100);
    assert.match(await idle.waitFor('idle for'), /\* error: idle for 0.4 s; closing connection$/);
    await idle.closed;
    await sleep(600);
    clearInterval(keepalive);
    assert.ok(!chatty.socket.destroyed, 'a client sending keepalives was closed as idle');
    await chatty.close();
  });
});

describe('an unexpected exception while handling one connection', () => {
  it('closes that connection only, on every transport', async () => {
    const server = await startTestServer();
    // Force a bug: the hub throws for one particular text, whichever transport it came from.
    const input = server.hub.input.bind(server.hub);
    server.hub.input = (session: Session, item: SessionInput) => {
      if (item.kind === 'text' && item.text === 'trigger-bug') throw new Error('forced failure');
      input(session, item);
    };
    const bystanderA = await FramedClient.connect(server.ports.tcp);
    const bystanderB = await WsTestClient.connect(server.ports.http);

    const framed = await FramedClient.connect(server.ports.tcp);
    framed.send('trigger-bug');
    assert.match(await framed.waitFor('error:'), /internal server error; closing connection/);
    await framed.closed;

    const line = await LineClient.connect(server.ports.line);
    line.send('trigger-bug');
    assert.match(await line.waitFor('error:'), /internal server error/);
    await line.closed;

    const ws = await WsTestClient.connect(server.ports.http);
    ws.say('trigger-bug');
    assert.equal((await ws.closed).code, 1011);

    bystanderB.say('still standing');
    await bystanderA.waitFor('still standing');
    assert.equal(server.stats.errors.get('SB_ERR_INTERNAL'), 3);
    await Promise.all([bystanderA.close(), bystanderB.close()]);
    await server.close();
  });
});
