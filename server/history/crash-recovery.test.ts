import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { HistoryPage, ServerEvent } from '../../shared/events.js';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { formatClientPayload, parseServerPayload } from '../../shared/payload.js';
import { startServerProcess } from '../test-support/server-process.js';
import { onceWithin } from '../test-support/deadline.js';

const CLIENTS = 100;
const WS_EVERY = 4; // every 4th client is a page
const SEND_INTERVAL_MS = 20;
const RUN_BEFORE_KILL_MS = 1500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A peer that sends `crash N SEQ` on a timer and records every such text it receives. */
interface Peer {
  received: Set<string>;
  send(text: string): void;
  destroy(): void;
}

async function framedPeer(port: number): Promise<Peer> {
  const socket = net.connect(port, '127.0.0.1');
  const received = new Set<string>();
  const decoder = new FrameDecoder(
    (payload) => {
      const parsed = parseServerPayload(payload);
      if (parsed !== null && parsed.text.startsWith('crash ')) received.add(parsed.text);
    },
    { maxPayload: 1 << 20 },
  );
  socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  socket.on('error', () => undefined);
  await onceWithin(socket, 'connect');
  return {
    received,
    send: (text) => socket.write(encodeFrame(formatClientPayload(Date.now(), text))),
    destroy: () => socket.destroy(),
  };
}

async function wsPeer(port: number): Promise<Peer & { ids: Map<string, number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const received = new Set<string>();
  const ids = new Map<string, number>();
  ws.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString('utf8')) as ServerEvent;
    if (event.type === 'message' && event.text.startsWith('crash ')) {
      received.add(event.text);
      ids.set(event.text, event.id);
    }
  });
  ws.on('error', () => undefined);
  await onceWithin(ws, 'open');
  return {
    received,
    ids,
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'send', text }));
    },
    destroy: () => ws.terminate(),
  };
}

/** Every stored message, paging GET /history backwards by id. */
async function allHistory(httpPort: number): Promise<Map<string, number>> {
  const stored = new Map<string, number>();
  let before = '';
  for (;;) {
    const page = (await (await fetch(`http://127.0.0.1:${httpPort}/history?limit=500${before}`)).json()) as HistoryPage;
    for (const message of page.messages) stored.set(message.text, message.id);
    if (!page.more || page.messages.length === 0) return stored;
    before = `&before=${page.messages[0]!.id}`;
  }
}

describe('history survives kill -9', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${CLIENTS} clients send; SIGKILL; restart on the same data dir: every message anyone received is in history`, async (t) => {
    const args = ['--data-dir', dir, '--rate-limit', '0', '--log-level', 'warn'];
    const server = await startServerProcess(undefined, args);
    const peers: Peer[] = [];
    const pages: Awaited<ReturnType<typeof wsPeer>>[] = [];
    for (let i = 0; i < CLIENTS; i += 1) {
      if (i % WS_EVERY === 0) {
        const page = await wsPeer(server.ports.http);
        pages.push(page);
        peers.push(page);
      } else {
        peers.push(await framedPeer(server.ports.tcp));
      }
    }
    let seq = 0;
    const timer = setInterval(() => {
      seq += 1;
      peers.forEach((peer, i) => peer.send(`crash ${i} ${seq}`));
    }, SEND_INTERVAL_MS);
    await sleep(RUN_BEFORE_KILL_MS);
    const exited = onceWithin(server.child, 'exit', 10_000);
    server.child.kill('SIGKILL');
    await exited;
    clearInterval(timer);
    await sleep(100); // let the last bytes already in our sockets be read
    peers.forEach((peer) => peer.destroy());

    const received = new Set<string>();
    for (const peer of peers) for (const text of peer.received) received.add(text);
    t.diagnostic(`${seq} rounds sent; ${received.size} distinct messages received before the kill`);
    assert.ok(received.size > 1000, `only ${received.size} messages got through before the kill`);

    const restarted = await startServerProcess(undefined, args);
    try {
      // The store is complete after a kill: nothing may be reported lost (see store-faults.test.ts).
      assert.ok(!restarted.log().includes('history is missing'), restarted.log());
      assert.ok(!restarted.log().includes('new epoch'), restarted.log());
      const stored = await allHistory(restarted.ports.http);
      const missing = [...received].filter((text) => !stored.has(text));
      assert.deepEqual(missing.slice(0, 10), [], `${missing.length} received messages are not in history`);
      for (const page of pages) {
        for (const [text, id] of page.ids) assert.equal(stored.get(text), id, `id of ${text}`);
      }
      // New messages continue the ids after a restart.
      const newest = Math.max(...stored.values());
      const late = await wsPeer(restarted.ports.http);
      late.send('crash after restart');
      const check = await wsPeer(restarted.ports.http);
      late.send('crash after restart 2');
      while (!check.received.has('crash after restart 2')) await sleep(20);
      assert.ok(check.ids.get('crash after restart 2')! > newest);
      late.destroy();
      check.destroy();
    } finally {
      await restarted.stop();
    }
  });
});
