import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { Member } from './room/member.js';
import type { RunningSwitchboard } from './switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from './test-support/test-clients.js';
import { WsTestClient } from './test-support/ws-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('flood limit (token bucket)', () => {
  let server: RunningSwitchboard;
  after(async () => {
    await server.close();
  });

  it('refuses messages over the rate with one notice, accepts again once tokens refill, closes a sustained flood', async () => {
    server = await startTestServer({ rateLimit: 5, rateBurst: 5, floodDisconnect: 20 });
    const sender = await FramedClient.connect(server.ports.tcp);
    const listener = await LineClient.connect(server.ports.line);
    for (let i = 0; i < 8; i += 1) sender.send(`burst ${i}`);
    assert.match(await sender.waitFor('slow down'), /over 5 messages\/s \(burst 5\); message dropped/);
    await sleep(1300);
    sender.send('after the pause');
    await listener.waitFor('after the pause');
    const chat = listener.chat().map(seedDecode).map((t) => t.split(' ').slice(1).join(' '));
    assert.deepEqual(chat, ['burst 0', 'burst 1', 'burst 2', 'burst 3', 'burst 4', 'after the pause']);
    assert.equal(sender.received.filter((p) => p.includes('slow down')).length, 1, 'one notice per run of refusals');

    for (let i = 0; i < 40; i += 1) sender.send(`flood ${i}`);
    assert.match(await sender.waitFor('flooding'), /error: flooding: 20 messages over the limit in a row; closing connection/);
    await sender.closed;
    await listener.waitFor(/left \(SB_ERR_RATE_LIMITED\)/);
    const other = await FramedClient.connect(server.ports.tcp);
    other.send('room still fine');
    await listener.waitFor('room still fine');
    await Promise.all([listener.close(), other.close()]);
  });

  it('--rate-limit 0 turns it off', async () => {
    const unlimited = await startTestServer({ rateLimit: 0 });
    const sender = await FramedClient.connect(unlimited.ports.tcp);
    const listener = await FramedClient.connect(unlimited.ports.tcp);
    for (let i = 0; i < 300; i += 1) sender.send(`m${i}`);
    await listener.waitFor(/ m299$/);
    assert.equal(listener.chat().length, 300);
    await unlimited.close();
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
    await once(refusedTcp, 'close');
    assert.match(refusedBytes, /\* error: server full: 2 connections; closing connection$/);

    const ws = new WebSocket(`ws://127.0.0.1:${server.ports.http}/ws`);
    const messages: string[] = [];
    ws.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
    const [code] = (await once(ws, 'close')) as [number];
    assert.equal(code, 1013);
    assert.deepEqual(JSON.parse(messages[0]!), { type: 'error', code: 'SB_ERR_TOO_MANY_CONNECTIONS', message: 'server full: 2 connections', fatal: true });

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
    await once(sameIp, 'close');
    assert.match(said, /too many connections from 127\.0\.0\.1: 1 at most/);
    const otherIp = net.connect({ port: server.ports.tcp, host: '127.0.0.1', localAddress: '127.0.0.2' });
    let welcome = '';
    otherIp.on('data', (chunk: Buffer) => (welcome += chunk.toString('utf8')));
    while (!welcome.includes('welcome')) await once(otherIp, 'data');
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
    await once(mute, 'open');
    const started = Date.now();
    await once(mute, 'close');
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
    // Force a bug: the room throws for one particular text, whichever transport it came from.
    const receive = server.room.receive.bind(server.room);
    server.room.receive = (member: Member, text: string) => {
      if (text === 'trigger-bug') throw new Error('forced failure');
      receive(member, text);
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
