import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteHistory } from './history/sqlite-history.js';
import { CountingClient } from './test-support/counting-client.js';
import { FramedClient, LineClient, startTestServer } from './test-support/test-clients.js';
import { until } from './test-support/until.js';

/** The default room's key, which the store files its messages under. */
const LOBBY = '#lobby';

/**
 * Delivery under bursts, over real sockets with the default limits: a member that keeps reading
 * gets every message, whatever the others paste; one that stops reading is dropped for that, and
 * only for that. (The policy's timing is pinned in output/output-queue.test.ts, on sockets whose
 * kernel buffers are small enough to see.)
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('delivery: readers that keep up are never dropped', () => {
  it('a framed reader gets all of 2 senders × 30 messages of 60 KB sent at once, in order, and stays connected', async () => {
    const server = await startTestServer();
    const reader = await CountingClient.connect('tcp', server.ports.tcp, 'burst');
    const senders = [await CountingClient.connect('tcp', server.ports.tcp, 'burst'), await CountingClient.connect('tcp', server.ports.tcp, 'burst')];
    const padding = ` ${'x'.repeat(60_000)}`;
    senders.forEach((sender, s) => {
      for (let seq = 0; seq < 30; seq += 1) sender.send(`s${s}`, seq, padding);
    });
    await until(() => reader.received === 60 || !reader.isOpen, 'the reader got all 60 messages', 30_000);
    assert.ok(reader.isOpen, 'the reader was disconnected');
    assert.equal(reader.received, 60);
    assert.deepEqual(reader.problems, []);
    assert.ok(senders.every((sender) => sender.isOpen), 'a sender was disconnected for pasting');
    assert.equal(server.policy.drops.cap + server.policy.drops.deadline + server.policy.drops.budget, 0);
    await Promise.all([reader, ...senders].map((client) => client.close()));
    await server.close();
  });

  it('a framed reader gets all of 20 senders × 30 messages of 10 KB sent at once', async () => {
    const server = await startTestServer();
    const reader = await CountingClient.connect('tcp', server.ports.tcp, 'wide');
    const senders: CountingClient[] = [];
    for (let s = 0; s < 20; s += 1) senders.push(await CountingClient.connect(s % 2 === 0 ? 'tcp' : 'ws', s % 2 === 0 ? server.ports.tcp : server.ports.http, 'wide'));
    const padding = ` ${'y'.repeat(10_000)}`;
    senders.forEach((sender, s) => {
      for (let seq = 0; seq < 30; seq += 1) sender.send(`s${s}`, seq, padding);
    });
    await until(() => reader.received === 600 || !reader.isOpen, 'the reader got all 600 messages', 30_000);
    assert.ok(reader.isOpen, 'the reader was disconnected');
    assert.deepEqual(reader.problems, []);
    await Promise.all([reader, ...senders].map((client) => client.close()));
    await server.close();
  });

  it('a newcomer into 3 MB of history stays while 5 others talk during its replay, and gets replay then live lines, once each', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-delivery-'));
    const store = new SqliteHistory({ dataDir, retention: { kind: 'all' } });
    for (let id = 1; id <= 50; id += 1) {
      store.append(LOBBY, { id, time: Date.now(), kind: 'chat', from: 'old', fromId: 1, text: `h${id} ${'z'.repeat(60_000)}` });
    }
    store.close();
    const server = await startTestServer({ dataDir });
    const talkers: FramedClient[] = [];
    for (let i = 0; i < 5; i += 1) talkers.push(await FramedClient.connect(server.ports.tcp));
    // A line client: the framed port replays messages this long as short notices (for the seed's
    // client), the line port sends them whole.
    const newcomer = await LineClient.connect(server.ports.line);
    for (let round = 0; round < 5; round += 1) {
      talkers.forEach((talker, t) => talker.send(`live t${t} r${round}`));
      await sleep(100);
    }
    await until(() => newcomer.received.filter((payload) => payload.includes(' live ')).length === 25, 'the newcomer got the 25 live lines', 15_000);
    assert.ok(!newcomer.socket.destroyed, 'the newcomer was dropped');
    const texts = newcomer.received.map((payload) => payload.split(' ')[3] ?? '');
    const replayed = texts.filter((text) => /^h\d+$/.test(text));
    assert.deepEqual(replayed, Array.from({ length: 50 }, (_, i) => `h${i + 1}`), 'the replay, whole and in order');
    const firstLive = newcomer.received.findIndex((payload) => payload.includes(' live '));
    const lastReplayed = newcomer.received.findLastIndex((payload) => /^\S+ \S+ old h\d+ /.test(payload));
    assert.ok(lastReplayed < firstLive, 'live lines came after the replay');
    const live = newcomer.received.filter((payload) => payload.includes(' live ')).map((payload) => payload.slice(payload.indexOf(' live ') + 1));
    assert.equal(new Set(live).size, 25, 'no live line twice');
    for (let t = 0; t < 5; t += 1) {
      assert.deepEqual(
        live.filter((text) => text.startsWith(`live t${t} `)),
        Array.from({ length: 5 }, (_, r) => `live t${t} r${r}`),
        `talker ${t}'s lines in order`,
      );
    }
    await Promise.all([newcomer, ...talkers].map((client) => client.close()));
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('delivery: a member that stops reading is dropped, and nobody else', () => {
  it('framed, line and WebSocket members that stop reading go within the write deadline; the readers get everything', async () => {
    const server = await startTestServer({ writeDeadline: 2 });
    const stalled = [
      await CountingClient.connect('tcp', server.ports.tcp, 'st'),
      await CountingClient.connect('line', server.ports.line, 'st'),
      await CountingClient.connect('ws', server.ports.http, 'st'),
    ];
    for (const client of stalled) client.stopReading();
    const active: CountingClient[] = [];
    for (let i = 0; i < 4; i += 1) active.push(await CountingClient.connect(i === 3 ? 'ws' : 'tcp', i === 3 ? server.ports.http : server.ports.tcp, 'st'));
    const padding = ` ${'s'.repeat(60_000)}`;
    let seq = 0;
    let stallSeenAt = 0;
    const startedAt = Date.now();
    // Each sender at its byte rate (4 × 256 KiB/s): the stalled members' kernel buffers (about
    // 4 MB each on loopback) fill in a few seconds, then the deadline runs.
    const dropped = () => server.policy.drops.deadline + server.policy.drops.cap + server.policy.drops.budget;
    while (dropped() < stalled.length && Date.now() - startedAt < 40_000) {
      active.forEach((client, i) => client.send(`a${i}`, seq, padding));
      seq += 1;
      if (stallSeenAt === 0 && server.policy.stalledCount > 0) stallSeenAt = Date.now();
      await sleep(240);
    }
    const droppedAt = Date.now();
    // Paused, the stalled clients cannot see their end yet; the server says who is still a member.
    assert.deepEqual(server.hub.countByTransport(), { tcp: 3, line: 0, ws: 1, irc: 0 }, 'a member that stopped reading is still connected');
    assert.ok(stallSeenAt > 0, 'the policy never saw a stall');
    assert.ok(droppedAt - stallSeenAt <= 2000 + 1000, `dropped ${droppedAt - stallSeenAt} ms after the stall was seen`);
    assert.equal(server.policy.drops.deadline, 3, 'dropped for the deadline (not the cap)');
    const expected = (active.length - 1) * seq;
    await until(() => active.every((client) => client.received === expected), 'every reading member got everything', 20_000);
    for (const client of active) {
      assert.deepEqual(client.problems, []);
      assert.ok(client.isOpen);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
    assert.match(metrics, /^switchboard_output_drops_total\{reason="deadline"\} 3$/m);
    assert.match(metrics, /^switchboard_errors_total\{code="SB_ERR_SLOW_CONSUMER"\} 3$/m);
    await Promise.all(active.map((client) => client.close()));
    await server.close();
  });
});

describe('input: pastes arrive whole', () => {
  it('200 lines pasted at once into the line port, the framed port and the page socket all arrive, in order', async () => {
    const server = await startTestServer();
    const reader = await CountingClient.connect('tcp', server.ports.tcp, 'paste');
    const pasters = [
      await CountingClient.connect('line', server.ports.line, 'paste'),
      await CountingClient.connect('tcp', server.ports.tcp, 'paste'),
      await CountingClient.connect('ws', server.ports.http, 'paste'),
    ];
    pasters.forEach((paster, p) => {
      for (let seq = 0; seq < 200; seq += 1) paster.send(`p${p}`, seq);
    });
    // 20 messages/s after a burst of 40: about 8 s.
    await until(() => reader.received === 600, 'the reader got all 600 pasted lines', 30_000);
    assert.deepEqual(reader.problems, []);
    assert.ok(pasters.every((paster) => paster.isOpen), 'a paster was disconnected');
    await Promise.all([reader, ...pasters].map((client) => client.close()));
    await server.close();
  });
});
