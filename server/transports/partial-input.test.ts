import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { FramedClient, LineClient } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

const CONNECTIONS = 20;
const HELD_BYTES = 16_000;
/** The bound asserted on RSS growth per port: 20 × 16,000 bytes held is 320 kB; 2× that plus slack. */
const RSS_GROWTH_MAX = 8 * 1024 * 1024;

async function openSockets(port: number, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < count; i += 1) {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    socket.on('error', function ignoreTestSocketError() {});
    // The server's notices are not read here: drain them so they do not pile up in the kernel.
    socket.resume();
    await onceWithin(socket, 'connect');
    sockets.push(socket);
  }
  return sockets;
}

/** A macrotask: lets the sockets flush and the server read before the next byte is written. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Writes `bytes` to every socket one byte per write (Nagle off), one round over all sockets per
 * turn, so the server mostly reads each byte as its own chunk: the pattern a hostile client uses
 * to make a server keep thousands of tiny buffers.
 */
async function trickle(sockets: readonly net.Socket[], bytes: Uint8Array): Promise<void> {
  for (let i = 0; i < bytes.length; i += 1) {
    const one = bytes.subarray(i, i + 1);
    for (const socket of sockets) socket.write(one);
    if (i % 4 === 3) await nextTurn();
  }
}

describe('partial input is held in one compact buffer per connection (issue 18, item 7)', () => {
  let server: ServerProcess;
  let observer: FramedClient;
  before(async () => {
    server = await startServerProcess(undefined, ['--log-level', 'warn', '--rate-limit', '0']);
    observer = await FramedClient.connect(server.ports.tcp);
  });
  after(async () => {
    await observer.close();
    await server.stop();
  });

  it('framed port: 20 connections × 16,000 bytes sent one byte per segment grow RSS by < 8 MiB, and the frames arrive whole', async (t) => {
    const sockets = await openSockets(server.ports.tcp, CONNECTIONS);
    const frame = encodeFrame(`${'f'.repeat(HELD_BYTES - 4 - 3)}end`);
    await trickle(sockets, frame.subarray(0, 4));
    const before = server.rssBytes();
    await trickle(sockets, frame.subarray(4, HELD_BYTES - 1));
    const grown = server.rssBytes() - before;
    for (const socket of sockets) socket.write(frame.subarray(HELD_BYTES - 1));
    for (let i = 0; i < CONNECTIONS; i += 1) await observer.waitFor(/ f+end$/, 10_000);
    for (const socket of sockets) socket.destroy();
    t.diagnostic(`framed: RSS grew ${(grown / 1024 / 1024).toFixed(1)} MiB while holding ${CONNECTIONS} × ${HELD_BYTES} bytes`);
    assert.ok(grown < RSS_GROWTH_MAX, `RSS grew ${grown} bytes holding ${CONNECTIONS * HELD_BYTES} bytes of partial frames`);
  });

  it('line port: 20 connections × 16,000 bytes sent one byte per segment grow RSS by < 8 MiB, and the lines arrive whole', async (t) => {
    const sockets = await openSockets(server.ports.line, CONNECTIONS);
    const line = Buffer.from(`${'l'.repeat(HELD_BYTES - 4)}end\n`);
    await trickle(sockets, line.subarray(0, 1));
    const before = server.rssBytes();
    await trickle(sockets, line.subarray(1, HELD_BYTES - 1));
    const grown = server.rssBytes() - before;
    for (const socket of sockets) socket.write(line.subarray(HELD_BYTES - 1));
    for (let i = 0; i < CONNECTIONS; i += 1) await observer.waitFor(/ l+end$/, 10_000);
    for (const socket of sockets) socket.destroy();
    t.diagnostic(`line: RSS grew ${(grown / 1024 / 1024).toFixed(1)} MiB while holding ${CONNECTIONS} × ${HELD_BYTES} bytes`);
    assert.ok(grown < RSS_GROWTH_MAX, `RSS grew ${grown} bytes holding ${CONNECTIONS * HELD_BYTES} bytes of partial lines`);
  });
});

/** The value of switchboard_input_held_bytes on the server's /metrics. */
async function inputHeld(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.url}metrics`)).text();
  const match = /^switchboard_input_held_bytes (\d+)$/m.exec(text);
  if (match === null) throw new Error('switchboard_input_held_bytes missing from /metrics');
  return Number(match[1]);
}

describe('--max-input-bytes: a server-wide budget for unfinished input (issue 18, item 7)', () => {
  /** Three unfinished 60 kB frames fill it: each holds a 64 KiB buffer (power-of-two sizes). */
  const BUDGET = 3 * 65_536;
  let server: ServerProcess;
  let observer: FramedClient;
  before(async () => {
    server = await startServerProcess(undefined, ['--log-level', 'warn', '--max-input-bytes', String(BUDGET)]);
    observer = await FramedClient.connect(server.ports.tcp);
  });
  after(async () => {
    await observer.close();
    await server.stop();
  });

  it('closes the largest holders first, keeps a member whose line arrives in two reads, refuses an asker that would be the largest', async () => {
    const hogs = [await FramedClient.connect(server.ports.tcp), await FramedClient.connect(server.ports.tcp), await FramedClient.connect(server.ports.tcp)];
    const unfinished = encodeFrame('h'.repeat(65_000)).subarray(0, 60_004);
    for (const hog of hogs) hog.writeRaw(unfinished);
    await until(async () => (await inputHeld(server)) === BUDGET, 'three unfinished frames fill the budget', 10_000);

    const member = await LineClient.connect(server.ports.line);
    member.writeRaw('first half of a line,');
    await observer.waitFor(/left \(SB_ERR_INPUT_BUDGET\)/);
    const evicted = hogs.filter((hog) => hog.received.some((payload) => payload.includes('SB_ERR') || payload.includes('--max-input-bytes')));
    assert.equal(evicted.length, 1, 'exactly one holder was closed to make room');
    assert.match(evicted[0]!.received.at(-1)!, /\* error: the server's memory for unfinished messages is full and this connection held the largest one \(--max-input-bytes\); closing connection$/);
    await evicted[0]!.closed;
    await until(async () => (await inputHeld(server)) === 2 * 65_536 + 64, 'the evicted holder gave its memory back', 5000);

    const asker = await FramedClient.connect(server.ports.tcp);
    asker.writeRaw(encodeFrame('a'.repeat(65_000)).subarray(0, 40_004));
    assert.match(await asker.waitFor('error:'), /memory for unfinished messages is full/);
    await asker.closed;

    member.writeRaw(' second half\n');
    await observer.waitFor(/ first half of a line, second half$/);
    const survivors = hogs.filter((hog) => !evicted.includes(hog));
    for (const hog of survivors) assert.equal(hog.socket.destroyed, false, 'the other holders keep their connections');
    await until(async () => (await inputHeld(server)) === 2 * 65_536, 'the member finished its line and holds nothing', 5000);
    for (const hog of survivors) await hog.close();
    await member.close();
    await until(async () => (await inputHeld(server)) === 0, 'closed connections hold nothing', 5000);
  });
});
