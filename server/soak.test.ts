import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CountingClient, type Kind } from './test-support/counting-client.js';
import { type ServerProcess, startServerProcess } from './test-support/server-process.js';

const CLIENTS = 500;
const MESSAGES_EACH = 50;
/** One message per client per second: within the default flood limit (20/s). */
const ROUND_MS = 1000;
/**
 * After everyone left, heap and RSS must be back within these of their idle start. They are
 * leak detectors sized to the workload: 12.5 M deliveries, so leaking even 4 bytes per delivery
 * (or 2 kB per message) would exceed them. They are not tighter because no GC can be forced
 * from outside (uncollected garbage counts as heap used) and V8 keeps the heap pages it grew
 * under load (about 40 MiB here) for a long while without using them.
 */
const HEAP_SLACK = 48 * 1024 * 1024;
const RSS_SLACK = 96 * 1024 * 1024;
const SEED = Number(process.env['SWITCHBOARD_SOAK_SEED'] ?? 7);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server's live JS heap, from its own /metrics (prom-client's process metrics). */
async function heapUsed(url: string): Promise<number> {
  const text = await (await fetch(`${url}metrics`)).text();
  const match = /^switchboard_process_nodejs_heap_size_used_bytes (\d+)/m.exec(text);
  if (match === null) throw new Error('heap metric missing from /metrics');
  return Number(match[1]);
}

/** Small deterministic PRNG (mulberry32) so a failing chunking pattern can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('soak: 500 clients on three transports × 50 messages (real server process, default limits)', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(undefined, ['--log-level', 'warn']);
  });
  after(async () => {
    await server.stop();
  });

  it('loses nothing, keeps each sender\'s order, closes cleanly and gives memory back', async (t) => {
    await sleep(300);
    const rssStart = server.rssBytes();
    const heapStart = await heapUsed(server.url);
    const random = prng(SEED);
    const clients: CountingClient[] = [];
    for (let i = 0; i < CLIENTS; i += 1) {
      const kind: Kind = i % 10 < 4 ? 'tcp' : i % 10 < 7 ? 'line' : 'ws';
      const port = kind === 'tcp' ? server.ports.tcp : kind === 'line' ? server.ports.line : server.ports.http;
      // Framed clients split every frame at random points, down to single bytes.
      const chunking = kind === 'tcp' ? () => 1 + Math.floor(random() * 24) : undefined;
      clients.push(await CountingClient.connect(kind, port, 'soak', chunking));
    }

    const started = Date.now();
    for (let seq = 0; seq < MESSAGES_EACH; seq += 1) {
      const tick = Date.now();
      clients.forEach((client, i) => client.send(`c${i}`, seq));
      await sleep(Math.max(0, ROUND_MS - (Date.now() - tick)));
    }
    const expected = (CLIENTS - 1) * MESSAGES_EACH;
    const deadline = Date.now() + 120_000;
    while (clients.some((client) => client.received < expected) && Date.now() < deadline) await sleep(100);
    const elapsed = Date.now() - started;
    const peak = server.peakRssBytes();

    clients.forEach((client, i) => {
      assert.deepEqual(client.problems, [], `client ${i} (${client.kind}, seed ${SEED}) saw messages out of order`);
      assert.equal(client.received, expected, `client ${i} (${client.kind}, seed ${SEED}) received ${client.received} of ${expected}`);
      assert.ok(client.isOpen, `client ${i} (${client.kind}) was disconnected`);
    });
    const deliveries = CLIENTS * expected;
    t.diagnostic(`${deliveries} deliveries in ${elapsed} ms (${Math.round(deliveries / (elapsed / 1000))}/s incl. pacing)`);

    await Promise.all(clients.map((client) => client.close()));
    // The server sees each close a moment after the client does: poll, bounded.
    let total = -1;
    for (let tries = 0; tries < 50 && total !== 0; tries += 1) {
      total = ((await (await fetch(`${server.url}healthz`)).json()) as { total: number }).total;
      if (total !== 0) await sleep(100);
    }
    assert.equal(total, 0, 'members left behind after every client closed');
    await sleep(1500);
    const rssEnd = server.rssBytes();
    const heapEnd = await heapUsed(server.url);
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    t.diagnostic(`server RSS: start ${mib(rssStart)}, peak ${mib(peak)}, after everyone left ${mib(rssEnd)}`);
    t.diagnostic(`server heap used: start ${mib(heapStart)}, after everyone left ${mib(heapEnd)}`);
    assert.ok(heapEnd < heapStart + HEAP_SLACK, `heap ${mib(heapEnd)} not back near start ${mib(heapStart)}`);
    assert.ok(rssEnd < rssStart + RSS_SLACK, `RSS ${mib(rssEnd)} not back near start ${mib(rssStart)}`);
  });
});
