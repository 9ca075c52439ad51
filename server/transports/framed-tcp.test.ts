import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { startServerProcess } from '../test-support/server-process.js';
import { FramedClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

const SERVER_FORM = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+ /;

describe('framed TCP port', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('lets a seed-style client chat: seed frames in, seed decode rule out', async () => {
    // Raw socket writing exactly what the seed's encode_message produces (Python datetime str()).
    const seed = net.connect(server.ports.tcp, '127.0.0.1');
    await onceWithin(seed, 'connect');
    const seedReceived: string[] = [];
    const decoder = new FrameDecoder((payload) => seedReceived.push(payload));
    seed.on('data', (chunk: Buffer) => decoder.push(chunk));
    const other = await FramedClient.connect(server.ports.tcp);

    const body = Buffer.from('2024-10-03 14:22:01.123456 bonjour à tous', 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length);
    seed.write(Buffer.concat([header, body]));

    const got = await other.waitFor('bonjour');
    assert.match(got, SERVER_FORM);
    const seedAddress = `127.0.0.1:${seed.localPort}`;
    assert.equal(seedDecode(got), `${seedAddress} bonjour à tous`);

    other.send('salut');
    const deadline = Date.now() + 5000;
    while (!seedReceived.some((p) => p.endsWith('salut')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const reply = seedReceived.find((p) => p.endsWith('salut'));
    assert.ok(reply, `seed client got ${JSON.stringify(seedReceived)}`);
    assert.equal(seedDecode(reply), `127.0.0.1:${other.socket.localPort} salut`);
    seed.destroy();
    await other.close();
  });

  it('stamps server time in UTC', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await FramedClient.connect(server.ports.tcp);
    const before = Date.now();
    a.sendPayload('1999-01-01 00:00:00 old clock');
    const got = await b.waitFor('old clock');
    const stamped = Date.parse(`${got.slice(0, 19).replace(' ', 'T')}Z`);
    assert.ok(Math.abs(stamped - before) < 2000, `${got} is not near ${new Date(before).toISOString()}`);
    await a.close();
    await b.close();
  });

  it('broadcasts to every other member and never echoes to the sender', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => FramedClient.connect(server.ports.tcp)));
    a!.send('from a');
    await b!.waitFor('from a');
    await c!.waitFor('from a');
    b!.send('sync');
    await a!.waitFor('sync');
    assert.ok(!a!.received.some((p) => p.endsWith('from a')), 'sender got its own message back');
    await Promise.all([a!.close(), b!.close(), c!.close()]);
  });

  it('ignores keepalive frames and blank messages', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await FramedClient.connect(server.ports.tcp);
    // b was replayed the history of earlier tests; count from a marker on.
    a.send('before keepalive');
    await b.waitFor('before keepalive');
    const from = b.chat().length;
    a.writeRaw(Buffer.alloc(4));
    a.send('   ');
    a.send('after keepalive');
    const got = await b.waitFor('after keepalive');
    assert.deepEqual(b.chat().slice(from), [got]);
    await a.close();
    await b.close();
  });

  it('sends a line break inside a message as ␤, so no message can forge a line (U+2028 and U+2029 too)', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await FramedClient.connect(server.ports.tcp);
    a.send('line one\n2026-01-01 00:00:00 *** alice left\u2028*** bob left\u2029end');
    const got = await b.waitFor('line one');
    assert.ok(got.endsWith(' line one\u24242026-01-01 00:00:00 *** alice left\u2424*** bob left\u2424end'), got);
    assert.ok(!/[\n\u2028\u2029]/.test(got), 'a line break reached the framed client');
    await a.close();
    await b.close();
  });
});

describe('framed TCP history replay and the seed client', () => {
  it('paces the replay so a client that decodes only the first frame of each read (the seed) sees every message', async (t) => {
    // Its own process, as for a user: the pacing timers must not share the reader's event loop.
    const server = await startServerProcess(undefined, ['--history', '5', '--log-level', 'warn']);
    const speaker = await FramedClient.connect(server.ports.tcp);
    let seed: net.Socket | undefined = undefined;
    t.after(async () => {
      seed?.destroy();
      await speaker.close();
      await server.stop();
    });
    for (let i = 1; i <= 5; i += 1) speaker.send(`earlier ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    // The seed's receive loop: data = recv(1000); print(decode_message(data)) — one frame per read.
    seed = net.connect(server.ports.tcp, '127.0.0.1');
    const shown: string[] = [];
    seed.on('data', (chunk: Buffer) => {
      const length = chunk.readUInt32BE(0);
      shown.push(seedDecode(chunk.subarray(4, 4 + length).toString('utf8')));
    });
    await onceWithin(seed, 'connect');
    const deadline = Date.now() + 5000;
    const replayed = () => shown.filter((line) => !line.startsWith('*** ') && line.includes('earlier'));
    while (replayed().length < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const speakerName = `127.0.0.1:${speaker.socket.localPort}`;
    assert.deepEqual(
      replayed(),
      [1, 2, 3, 4, 5].map((i) => `${speakerName} earlier ${i}`),
    );
  });

  it('replays a stored message too long for the seed\'s recv(1000) as a short notice, so the seed client keeps working', async (t) => {
    const server = await startServerProcess(undefined, ['--history', '3', '--log-level', 'warn']);
    const speaker = await FramedClient.connect(server.ports.tcp);
    const reads: Buffer[] = [];
    let seed: net.Socket | undefined = undefined;
    t.after(async () => {
      seed?.destroy();
      await speaker.close();
      await server.stop();
    });
    speaker.send('/nick longwinded');
    speaker.send('short before');
    speaker.send(`long ${'l'.repeat(5000)}`);
    speaker.send('short after');
    await new Promise((resolve) => setTimeout(resolve, 200));
    seed = net.connect(server.ports.tcp, '127.0.0.1');
    seed.on('data', (chunk: Buffer) => reads.push(chunk));
    await onceWithin(seed, 'connect');
    await until(() => reads.length >= 4, 'the welcome and 3 replayed frames, one per read');
    // The seed's decode_message on each read: it fails on a read shorter than the frame it announces.
    const shown = reads.slice(0, 4).map((read) => {
      const length = read.readUInt32BE(0);
      assert.ok(read.length <= 1000, `a read of ${read.length} bytes: the seed's recv(1000) would cut it`);
      assert.ok(read.length >= 4 + length, 'a frame split across reads');
      return seedDecode(read.subarray(4, 4 + length).toString('utf8'));
    });
    assert.match(shown[0]!, /^\*\*\* welcome to/);
    assert.equal(shown[1], 'longwinded short before');
    assert.match(shown[2]!, /^\*\*\* longwinded said 5\d{3} bytes here, too long to replay on this port \(message \d+: see the page or GET \/history\)$/);
    assert.equal(shown[3], 'longwinded short after');
  });
});
