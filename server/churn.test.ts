/**
 * Connection churn: 10,000 connections opened and dropped quickly on the framed port, the line port
 * and the WebSocket, in waves of 200 at once, every one from 127.0.0.1. Each drops in one of a few
 * ways: destroyed (or reset) right after connect, after half a message, after a whole one, after a
 * graceful end or close handshake, or during the WebSocket upgrade itself.
 *
 * Afterwards the server must still serve, hold no member and no gate slot for any of them, have
 * counted no internal error, and a WebSocket bystander connected throughout must have seen exactly
 * one join and one leave for every connection that joined. Memory is logged, not asserted.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { NoticeEvent, ServerEvent } from '../shared/events.js';
import { encodeFrame, encodeFrameHeader } from '../shared/frame-encoder.js';
import type { RunningSwitchboard } from './switchboard.js';
import { FramedClient, LineClient, startTestServer } from './test-support/test-clients.js';
import { WsTestClient } from './test-support/ws-client.js';
import { until } from './test-support/until.js';

const TOTAL = 10_000;
const WAVE = 200;
/** Per connection; generous, since a wave of 200 shares two cores with the server. */
const CONNECTION_TIMEOUT_MS = 15_000;

const TCP_STYLES = ['connect-destroy', 'connect-reset', 'connect-end', 'partial-destroy', 'partial-end', 'message-destroy', 'welcome-message-end'] as const;
const WS_STYLES = ['upgrade-request-destroy', 'abort-handshake', 'open-terminate', 'open-close', 'message-terminate', 'partial-terminate', 'message-close'] as const;
type TcpStyle = (typeof TCP_STYLES)[number];
type WsStyle = (typeof WS_STYLES)[number];

type Churn = { transport: 'tcp' | 'line'; style: TcpStyle; n: number } | { transport: 'ws'; style: WsStyle; n: number };

/** Of every 5 connections 2 framed, 2 line, 1 WebSocket (4,000 / 4,000 / 2,000), styles rotating. */
function churnPlan(): Churn[] {
  const plan: Churn[] = [];
  for (let n = 0; n < TOTAL; n += 1) {
    const slot = n % 5;
    const turn = Math.floor(n / 5) + slot;
    if (slot < 2) plan.push({ transport: 'tcp', style: TCP_STYLES[turn % TCP_STYLES.length]!, n });
    else if (slot < 4) plan.push({ transport: 'line', style: TCP_STYLES[turn % TCP_STYLES.length]!, n });
    else plan.push({ transport: 'ws', style: WS_STYLES[turn % WS_STYLES.length]!, n });
  }
  return plan;
}

function ignore(): void {}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}


/** One TCP connection, dropped as the style says; resolves when the client socket has closed. */
function tcpChurn(port: number, transport: 'tcp' | 'line', style: TcpStyle, n: number): Promise<void> {
  const whole = transport === 'tcp' ? encodeFrame(`churn ${n}`) : Buffer.from(`churn ${n}\n`);
  const half = transport === 'tcp' ? Buffer.concat([encodeFrameHeader(100), Buffer.from('only part')]) : Buffer.from(`half a li${n}`);
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', ignore);
    socket.once('close', () => resolve());
    socket.once('connect', function dropAsPlanned() {
      if (style !== 'welcome-message-end') socket.resume(); // read and discard, so a graceful end completes
      switch (style) {
        case 'connect-destroy':
          socket.destroy();
          break;
        case 'connect-reset':
          socket.resetAndDestroy();
          break;
        case 'connect-end':
          socket.end();
          break;
        case 'partial-destroy':
          socket.write(half, () => socket.destroy());
          break;
        case 'partial-end':
          socket.end(half);
          break;
        case 'message-destroy':
          socket.write(whole, () => socket.destroy());
          break;
        case 'welcome-message-end':
          socket.once('data', () => socket.end(whole));
          socket.resume();
          break;
      }
    });
  });
}

/** One WebSocket (or a bare upgrade request), dropped as the style says; resolves once closed. */
function wsChurn(port: number, style: WsStyle, n: number): Promise<void> {
  if (style === 'upgrade-request-destroy') {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', ignore);
      socket.once('close', () => resolve());
      const request =
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`;
      socket.once('connect', () => socket.write(request, () => socket.destroy()));
    });
  }
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    ws.on('error', ignore);
    ws.once('close', () => resolve());
    if (style === 'abort-handshake') {
      setImmediate(() => ws.terminate());
      return;
    }
    const message = JSON.stringify({ type: 'send', text: `churn ${n}` });
    ws.once('open', function dropAsPlanned() {
      switch (style) {
        case 'open-terminate':
          ws.terminate();
          break;
        case 'open-close':
          ws.close();
          break;
        case 'message-terminate':
          ws.send(message, () => ws.terminate());
          break;
        case 'partial-terminate':
          ws.send('{"type":"send","te', { fin: false }, () => ws.terminate());
          break;
        case 'message-close':
          ws.send(message);
          ws.close();
          break;
      }
    });
  });
}

function churn(server: RunningSwitchboard, item: Churn): Promise<void> {
  const done = item.transport === 'ws' ? wsChurn(server.ports.http, item.style, item.n) : tcpChurn(item.transport === 'tcp' ? server.ports.tcp : server.ports.line, item.transport, item.style, item.n);
  return within(done, CONNECTION_TIMEOUT_MS, `connection ${item.n} (${item.transport}, ${item.style}) never closed`);
}

/**
 * What the bystander was told: how many joins and leaves in all (a batched notice counts every
 * member it is about), and the ids it named. Throws on an id named twice for the same change, or a
 * leave named before its join.
 */
function presenceOf(events: readonly ServerEvent[]): { joins: number; leaves: number; joined: Set<number>; left: Set<number> } {
  const joined = new Set<number>();
  const left = new Set<number>();
  let joins = 0;
  let leaves = 0;
  for (const event of events) {
    if (event.type !== 'notice' || (event.kind !== 'join' && event.kind !== 'leave')) continue;
    const notice = event as NoticeEvent;
    const named = notice.member !== undefined ? [notice.member] : (notice.members ?? []);
    const count = notice.member !== undefined ? 1 : (notice.count ?? 0);
    assert.ok(count > 0 && named.length > 0, `a ${event.kind} notice without its members: ${JSON.stringify(event)}`);
    for (const { id } of named) {
      if (event.kind === 'join') {
        assert.ok(!joined.has(id), `member ${id} announced as joining twice`);
        joined.add(id);
      } else {
        assert.ok(!left.has(id), `member ${id} announced as leaving twice`);
        left.add(id);
      }
    }
    if (event.kind === 'join') joins += count;
    else leaves += count;
  }
  return { joins, leaves, joined, left };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Memory now, after a full GC when node runs with --expose-gc (then retained memory shows). */
function memory(): NodeJS.MemoryUsage {
  globalThis.gc?.();
  return process.memoryUsage();
}

describe('connection churn', () => {
  it('10,000 connections opened and dropped in waves of 200: nothing leaks, the room still works', { timeout: 300_000 }, async (t) => {
    const server = await startTestServer({ maxConnectionsPerIp: 0 });
    try {
      const memoryBefore = memory();
      const bystander = await WsTestClient.connect(server.ports.http);
      const plan = churnPlan();
      const started = Date.now();
      for (let from = 0; from < plan.length; from += WAVE) {
        await Promise.all(plan.slice(from, from + WAVE).map((item) => churn(server, item)));
      }
      const churnSeconds = (Date.now() - started) / 1000;

      await until(() => server.hub.size === 1 && server.gate.open === 1, 'the dropped connections have left', 10_000);
      assert.equal(server.hub.size, 1, 'members left behind by dropped connections');
      assert.equal(server.gate.open, 1, 'gate slots held by dropped connections');
      assert.equal(bystander.socket.readyState, WebSocket.OPEN, 'the bystander was disconnected');

      const framed = await FramedClient.connect(server.ports.tcp);
      const line = await LineClient.connect(server.ports.line);
      framed.send('after the churn, from tcp');
      await line.waitFor('after the churn, from tcp');
      await bystander.waitForText('after the churn, from tcp');
      line.send('after the churn, from line');
      await framed.waitFor('after the churn, from line');
      await bystander.waitForText('after the churn, from line');
      await Promise.all([framed.close(), line.close()]);

      await until(() => server.hub.size === 1, 'the check clients have left', 10_000);
      bystander.send({ type: 'who' });
      const who = await bystander.waitFor((event) => event.type === 'members');
      const welcome = bystander.events[0];
      assert.ok(who.type === 'members' && welcome?.type === 'welcome');
      assert.deepEqual(who.members.map((member) => member.id), [welcome.you.id], 'the room lists the bystander alone');

      const opened = server.stats.connectionsOpened;
      const others = opened.tcp + opened.line + opened.ws - 1;
      // The last leaves may still be in the presence window (100 ms) when the answer comes.
      await until(() => presenceOf(bystander.events).leaves >= others, 'the bystander was told of every leave', 5_000);
      const { joins, leaves, joined, left } = presenceOf(bystander.events);
      assert.equal(joins, others, 'the bystander was told of one join per connection that joined the room');
      assert.equal(leaves, others, 'the bystander was told of one leave per connection that joined the room');
      if (joined.size === joins) {
        // Every join was named (no batch was cut short), so every named leave must be one of them.
        assert.deepEqual([...left].filter((id) => !joined.has(id)), [], 'announced as leaving without having joined');
      }
      assert.equal(server.stats.errors.get('SB_ERR_INTERNAL'), undefined, 'an unexpected exception was counted');

      await bystander.close();
      await until(() => server.hub.size === 0 && server.gate.open === 0, 'everyone has left', 10_000);
      assert.equal(server.hub.size, 0, 'members left after everyone closed');
      assert.equal(server.gate.open, 0, 'gate slots held after everyone closed');

      const memoryAfter = memory();
      t.diagnostic(`${plan.length} connections in ${churnSeconds.toFixed(1)} s; joined the room: tcp ${opened.tcp}, line ${opened.line}, ws ${opened.ws} (incl. the bystander and 2 check clients)`);
      const gc = globalThis.gc === undefined ? 'no GC forced; run node with --expose-gc for retained memory' : 'after a forced GC';
      t.diagnostic(`rss ${mb(memoryBefore.rss)} -> ${mb(memoryAfter.rss)}, heap used ${mb(memoryBefore.heapUsed)} -> ${mb(memoryAfter.heapUsed)} (${gc})`);
      t.diagnostic(`errors counted: ${JSON.stringify(Object.fromEntries(server.stats.errors))}`);
    } finally {
      await server.close();
    }
  });
});
