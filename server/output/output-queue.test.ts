import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { WireChunk } from '../message/outgoing-message.js';
import { until } from '../test-support/until.js';
import { type DropReason, OutputPolicy, type OutputLimits } from './output-policy.js';
import { type OutputOwner, OutputQueue, type ReplayStream } from './output-queue.js';
import { onceWithin } from '../test-support/deadline.js';

/**
 * The policy over real sockets. Unix domain sockets, because the kernel buffers only ~200 KB
 * on them (loopback TCP buffers ~4 MB), so what a slow or stalled reader does shows in the queue
 * within a test's time instead of after megabytes.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Owner implements OutputOwner {
  dropped: { reason: DropReason; why: string; at: number }[] = [];
  outputDropped(reason: DropReason, why: string): void {
    this.dropped.push({ reason, why, at: Date.now() });
  }
}

/** The far end of a queue's socket: counts bytes, reads when told to, at the rate told. */
class Reader {
  received = 0;
  readonly chunks: Buffer[] = [];
  private pacer: NodeJS.Timeout | null = null;
  constructor(readonly socket: net.Socket, private readonly keep = false) {
    socket.on('data', this.onData);
    socket.on('error', () => undefined);
  }
  stop(): void {
    this.socket.pause();
  }
  /** Reads `bytesPerSecond`, a fiftieth every 20 ms, pulling exactly that much (paused mode). */
  readAt(bytesPerSecond: number): void {
    this.socket.off('data', this.onData);
    this.socket.pause();
    this.pacer = setInterval(() => {
      const size = Math.min(bytesPerSecond / 50, this.socket.readableLength);
      if (size <= 0) {
        this.socket.read(0);
        return;
      }
      const chunk = this.socket.read(size) as Buffer | null;
      if (chunk !== null) this.received += chunk.length;
    }, 20);
  }
  private readonly onData = (chunk: Buffer): void => {
    this.received += chunk.length;
    if (this.keep) this.chunks.push(chunk);
  };
  close(): void {
    if (this.pacer !== null) clearInterval(this.pacer);
    this.socket.destroy();
  }
}

interface Pair {
  queue: OutputQueue;
  owner: Owner;
  reader: Reader;
  serverSide: net.Socket;
}

describe('OutputQueue and OutputPolicy (Unix sockets)', () => {
  let dir: string;
  let path: string;
  let server: net.Server;
  const accepted: net.Socket[] = [];
  const policies: OutputPolicy[] = [];
  const readers: Reader[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-output-'));
    path = join(dir, 'queue.sock');
    server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      accepted.push(socket);
    });
    server.listen(path);
    await onceWithin(server, 'listening');
  });
  afterEach(() => {
    for (const reader of readers.splice(0)) reader.close();
    for (const socket of accepted.splice(0)) socket.destroy();
    for (const policy of policies.splice(0)) policy.close();
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function policyWith(limits: Partial<OutputLimits>): OutputPolicy {
    const policy = new OutputPolicy(limits);
    policies.push(policy);
    return policy;
  }

  async function pair(policy: OutputPolicy, keep = false): Promise<Pair> {
    const count = accepted.length;
    const client = net.connect(path);
    await onceWithin(client, 'connect');
    await until(() => accepted.length > count, 'the server accepted');
    const serverSide = accepted.at(-1)!;
    const owner = new Owner();
    const queue = new OutputQueue(serverSide, policy, owner);
    const reader = new Reader(client, keep);
    readers.push(reader);
    return { queue, owner, reader, serverSide };
  }

  it('hands one turn of output to the socket in order, and counts a chunk shared by two queues once', async () => {
    const policy = policyWith({});
    const a = await pair(policy, true);
    const b = await pair(policy, true);
    const shared = new WireChunk(Buffer.alloc(10_000, 0x61));
    for (const { queue } of [a, b]) {
      queue.writeOwn(Buffer.from('first;'));
      queue.write(shared);
      queue.writeOwn(Buffer.from(';last'));
    }
    assert.equal(shared.holders, 2);
    assert.equal(policy.queuedBytes, 10_000 + 2 * 11, 'the shared chunk counts once');
    await until(() => a.reader.received === 10_011 && b.reader.received === 10_011, 'both readers got everything');
    const text = Buffer.concat(a.reader.chunks).toString();
    assert.ok(text.startsWith('first;aaa') && text.endsWith('aaa;last'));
    assert.equal(shared.holders, 0);
    assert.equal(policy.queuedBytes, 0);
  });

  it('drops a reader that stops, within the write deadline plus a sweep, and not before the deadline', async () => {
    const policy = policyWith({ writeDeadlineMs: 1000 });
    const { queue, owner, reader } = await pair(policy);
    reader.stop();
    const chunk = new WireChunk(Buffer.alloc(64 * 1024, 0x62));
    // Fill the kernel's buffers and then some, so output waits in the socket.
    for (let i = 0; i < 10; i += 1) queue.write(chunk);
    await until(() => queue.socketBytes > 0, 'output waits in the socket');
    const stalledAt = Date.now();
    await until(() => owner.dropped.length > 0, 'the stalled reader was dropped', 5000);
    const after = owner.dropped[0]!.at - stalledAt;
    assert.equal(owner.dropped[0]!.reason, 'deadline');
    assert.match(owner.dropped[0]!.why, /nothing read for 1 s/);
    assert.ok(after >= 900, `dropped ${after} ms after stalling, before the 1 s deadline`);
    assert.ok(after <= 1000 + 1000, `dropped ${after} ms after stalling, later than deadline + 1 s`);
    assert.equal(policy.drops.deadline, 1);
  });

  it('never drops a reader that reads slowly but steadily (200 KB/s while 100 KB/s is written), even with 1 MiB queued', async () => {
    // The kernel reports progress only when a quarter of a Unix socket's buffer is free again
    // (about 1 s at this rate): the deadline must be longer than that.
    const policy = policyWith({ writeDeadlineMs: 2000 });
    const { queue, owner, reader } = await pair(policy);
    reader.readAt(200_000);
    let maxPending = 0;
    const burst = new WireChunk(Buffer.alloc(50_000, 0x63));
    // A burst of 1.2 MB (more than the old 1 MiB cap), then 100 KB/s for 4 s.
    for (let i = 0; i < 24; i += 1) queue.write(burst);
    let written = 24 * 50_000;
    const producer = setInterval(() => {
      queue.write(new WireChunk(Buffer.alloc(10_000, 0x64)));
      written += 10_000;
      maxPending = Math.max(maxPending, queue.pendingBytes);
    }, 100);
    const end = Date.now() + 4000;
    while (Date.now() < end) {
      maxPending = Math.max(maxPending, queue.pendingBytes);
      await sleep(50);
    }
    clearInterval(producer);
    assert.deepEqual(owner.dropped, [], 'a steady reader was dropped');
    assert.ok(maxPending > 1024 * 1024 - 200_000, `the queue never grew past the old cap's range (max ${maxPending})`);
    assert.ok(reader.received > 600_000, `the reader only got ${reader.received} bytes`);
    assert.ok(reader.received < written);
  });

  it('drops a member at once when its queue passes the hard cap', async () => {
    const policy = policyWith({ maxPendingBytes: 1_000_000, writeDeadlineMs: 0 });
    const { queue, owner, reader } = await pair(policy);
    reader.stop();
    const chunk = new WireChunk(Buffer.alloc(100_000, 0x65));
    for (let i = 0; i < 9; i += 1) queue.write(chunk);
    assert.deepEqual(owner.dropped, [], 'dropped under the cap');
    queue.write(chunk);
    queue.write(chunk);
    const drops: { reason: DropReason; why: string }[] = owner.dropped;
    assert.equal(drops[0]?.reason, 'cap');
    assert.match(drops[0]?.why ?? '', /over the 1000000-byte cap/);
  });

  it('over the server-wide budget drops the largest queues first; a reading member keeps everything', async () => {
    const policy = policyWith({ maxOutputBytes: 1_500_000, writeDeadlineMs: 0 });
    const stalled = [await pair(policy), await pair(policy), await pair(policy)];
    const healthy = await pair(policy);
    for (const { reader } of stalled) reader.stop();
    // Each stalled member holds its own bytes (replies, other rooms): 0.6, 0.8 and 1.0 MB.
    stalled.forEach(({ queue }, i) => {
      for (let k = 0; k < 6 + 2 * i; k += 1) queue.writeOwn(Buffer.alloc(100_000, 0x66));
    });
    for (let k = 0; k < 10; k += 1) healthy.queue.writeOwn(Buffer.alloc(100_000, 0x67));
    await until(() => stalled.some(({ owner }) => owner.dropped.length > 0), 'a member was dropped for the budget');
    const [first] = stalled[2]!.owner.dropped;
    assert.equal(first?.reason, 'budget', 'the largest queue went first');
    await until(() => healthy.reader.received === 1_000_000, 'the healthy reader got all of its output');
    assert.deepEqual(healthy.owner.dropped, []);
    assert.ok(policy.drops.budget >= 1);
  });

  it('counts a queued broadcast once: 40 stalled members behind the same 1 MB are not over a 10 MB budget', async () => {
    // Naively summed, their queues hold about 40 × 800 KB = 32 MB; counted once, the paste is
    // 100 KB and each socket holds at most about 164 KB: 6.6 MB.
    const policy = policyWith({ maxOutputBytes: 10_000_000, writeDeadlineMs: 0 });
    const members: Pair[] = [];
    for (let i = 0; i < 40; i += 1) members.push(await pair(policy));
    for (const { reader } of members) reader.stop();
    const paste = new WireChunk(Buffer.alloc(100_000, 0x68));
    for (let round = 0; round < 10; round += 1) {
      for (const { queue } of members) queue.write(paste);
    }
    await sleep(400);
    policy.sweep();
    assert.deepEqual(members.flatMap(({ owner }) => owner.dropped), []);
    const naive = members.reduce((sum, { queue }) => sum + queue.pendingBytes, 0);
    assert.ok(naive > 25_000_000, `queues hold ${naive} bytes in all`);
    assert.ok(policy.queuedBytes < 7_000_000, `the policy counts ${policy.queuedBytes}`);
  });

  it('streams a replay as the socket takes it: the welcome first, then the replay, then live output', async () => {
    const policy = policyWith({});
    const { queue, reader } = await pair(policy, true);
    let pulled = 0;
    const replay: ReplayStream = {
      gapMs: 0,
      next() {
        if (pulled === 200) return null;
        pulled += 1;
        return Buffer.alloc(10_000, pulled === 200 ? 0x7a : 0x72);
      },
    };
    reader.stop();
    queue.writeOwn(Buffer.from('welcome;'));
    queue.startReplay(replay);
    queue.writeOwn(Buffer.from(';live'));
    await sleep(300);
    assert.ok(pulled < 100, `a reader that reads nothing made the replay produce ${pulled} of 200 chunks`);
    reader.socket.resume();
    await until(() => reader.received === 8 + 200 * 10_000 + 5, 'the whole replay and the live line arrived');
    const text = Buffer.concat(reader.chunks).toString();
    assert.ok(text.startsWith('welcome;rrr'));
    assert.ok(text.endsWith('zzz;live'));
  });

  it('on a drop for slowness the queue is discarded and only the farewell goes out', async () => {
    const policy = policyWith({});
    const { queue, reader } = await pair(policy, true);
    reader.stop();
    for (let i = 0; i < 50; i += 1) queue.writeOwn(Buffer.alloc(100_000, 0x69));
    await sleep(50);
    const before = policy.queuedBytes;
    queue.finish(Buffer.from('goodbye'), true);
    assert.ok(policy.queuedBytes < before - 3_000_000, 'the discarded queue still counts');
    queue.write(new WireChunk(Buffer.from('after')));
    reader.socket.resume();
    await sleep(300);
    const text = Buffer.concat(reader.chunks).toString();
    assert.ok(text.endsWith('goodbye'), 'the farewell came last');
    assert.ok(!text.includes('after'));
    assert.ok(text.length < 5_000_000 - 1_000_000, 'most of the queue was still sent');
  });
});
