import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CountingClient } from './test-support/counting-client.js';
import { type ServerProcess, startServerProcess } from './test-support/server-process.js';

const SENDERS = 10;
const MESSAGES_EACH = 84;
const PAYLOAD = 60_000; // bytes of padding per message: 10 × 84 × 60 kB ≈ 50 MB sent
const INTERVAL_MS = 55; // under the default 20 messages/s flood limit
/** Peak server RSS allowed while two members stopped reading; see docs/security.md. */
const PEAK_RSS_BOUND = 128 * 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('slow consumers (real server process, default limits)', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess();
  });
  after(async () => {
    await server.stop();
  });

  it('drops a framed and a WebSocket member that stop reading; 50 MB later nobody else lost a message and RSS stayed bounded', async (t) => {
    const slowTcp = await CountingClient.connect('tcp', server.ports.tcp, 'sc');
    const slowWs = await CountingClient.connect('ws', server.ports.http, 'sc');
    slowTcp.stopReading();
    slowWs.stopReading();
    const active: CountingClient[] = [];
    for (let i = 0; i < SENDERS; i += 1) {
      active.push(await CountingClient.connect(i % 5 === 4 ? 'ws' : 'tcp', i % 5 === 4 ? server.ports.http : server.ports.tcp, 'sc'));
    }
    await sleep(200);
    const rssBefore = server.rssBytes();
    const padding = ` ${'x'.repeat(PAYLOAD)}`;

    for (let seq = 0; seq < MESSAGES_EACH; seq += 1) {
      active.forEach((client, i) => client.send(`a${i}`, seq, padding));
      await sleep(INTERVAL_MS);
    }
    const sentAt = Date.now();
    const expected = (SENDERS - 1) * MESSAGES_EACH;
    const deadline = Date.now() + 30_000;
    while (active.some((c) => c.received < expected) && Date.now() < deadline) await sleep(50);

    const peak = server.peakRssBytes();
    t.diagnostic(`all delivered ${Date.now() - sentAt} ms after the last send`);
    t.diagnostic(`server RSS before ${(rssBefore / 2 ** 20).toFixed(1)} MiB, peak ${(peak / 2 ** 20).toFixed(1)} MiB`);
    active.forEach((client, i) => {
      assert.deepEqual(client.problems, [], `active client ${i} saw gaps`);
      assert.equal(client.received, expected, `active client ${i} received ${client.received} of ${expected}`);
      assert.ok(client.isOpen, `active client ${i} was disconnected`);
    });
    assert.ok(peak < PEAK_RSS_BOUND, `server peak RSS ${peak} ≥ bound ${PEAK_RSS_BOUND}`);

    // The server dropped both: they are no longer members...
    const health = (await (await fetch(`${server.url}healthz`)).json()) as { members: Record<string, number> };
    assert.deepEqual(health.members, { tcp: SENDERS - 2, line: 0, ws: 2 });
    // ...and once they read again they drain what the kernel still held and see the connection end.
    slowTcp.resume();
    slowWs.resume();
    await Promise.all([slowTcp.closed, slowWs.closed]);

    const metrics = await (await fetch(`${server.url}metrics`)).text();
    assert.match(metrics, /^switchboard_errors_total\{code="SB_ERR_SLOW_CONSUMER"\} 2$/m);
    assert.match(server.log(), /disconnecting: too slow: over 1048576 bytes waiting to be sent/);
    await Promise.all(active.map((client) => client.close()));
  });
});
