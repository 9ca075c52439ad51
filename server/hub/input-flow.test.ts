import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeTimers } from '../test-support/fake-timers.js';
import { HELD_ITEM_OVERHEAD, type InputHandler, type InputLimits, InputFlow } from './input-flow.js';

interface Item {
  n: number;
  bytes: number;
}

const LIMITS: InputLimits = {
  rateLimit: 20,
  rateBurst: 40,
  rateLimitBytes: 0,
  rateBurstBytes: 1,
  floodDisconnectMs: 0,
  maxInputQueue: 1_000_000,
};

/** Records every call; the clock is the test's, so no timer decides anything. */
class Recorder implements InputHandler<string, Item> {
  processed: number[] = [];
  events: string[] = [];
  process(_member: string, item: Item): void {
    this.processed.push(item.n);
  }
  pauseInput(): void {
    this.events.push('pause');
  }
  resumeInput(): void {
    this.events.push('resume');
  }
  slowedDown(): void {
    this.events.push('slowed');
  }
  flooding(_member: string, why: string): void {
    this.events.push(`flooding: ${why}`);
  }
}

function setup(limits: Partial<InputLimits> = {}): { flow: InputFlow<string, Item>; handler: Recorder; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const handler = new Recorder();
  const flow = new InputFlow<string, Item>('m', { ...LIMITS, ...limits }, () => clock.now, handler);
  return { flow, handler, clock };
}

const items = (count: number, bytes = 10, from = 0): Item[] => Array.from({ length: count }, (_, i) => ({ n: from + i, bytes }));

describe('InputFlow (flood limit, injected clock)', () => {
  it('processes input within the limits at once, in order, without pausing', () => {
    const { flow, handler } = setup();
    for (const item of items(40)) flow.push(item);
    assert.deepEqual(handler.processed, items(40).map((item) => item.n));
    assert.deepEqual(handler.events, []);
    assert.equal(flow.holding, false);
    flow.close();
  });

  it('holds back what is over the message rate, says so once, pauses, and lets it through in order as tokens come back', () => {
    const { flow, handler, clock } = setup();
    for (const item of items(45)) flow.push(item);
    assert.equal(handler.processed.length, 40, 'exactly the burst is let through at one instant');
    assert.deepEqual(handler.events, ['slowed', 'pause']);
    assert.equal(flow.holding, true);
    clock.now += 50; // one token at 20/s
    flow.release();
    assert.equal(handler.processed.length, 41);
    clock.now += 49;
    flow.release();
    assert.equal(handler.processed.length, 41, 'a token is not there before 50 ms');
    clock.now += 1000;
    flow.release();
    assert.deepEqual(handler.processed, items(45).map((item) => item.n), 'nothing dropped, order kept');
    assert.deepEqual(handler.events, ['slowed', 'pause', 'resume']);
    flow.close();
  });

  it('holds back by bytes as well as by messages; an item above the byte burst passes when the bucket is full', () => {
    const { flow, handler, clock } = setup({ rateLimitBytes: 100_000, rateBurstBytes: 200_000 });
    flow.push({ n: 0, bytes: 150_000 });
    flow.push({ n: 1, bytes: 100_000 });
    assert.deepEqual(handler.processed, [0]);
    clock.now += 500; // 50 KB back: 100 KB there
    flow.release();
    assert.deepEqual(handler.processed, [0, 1]);
    clock.now += 2000; // full again: 200 KB
    flow.release();
    flow.push({ n: 2, bytes: 500_000 });
    assert.deepEqual(handler.processed, [0, 1, 2], 'a 500 KB item could never be saved up for: it goes when the bucket is full');
    flow.push({ n: 3, bytes: 1 });
    assert.deepEqual(handler.processed, [0, 1, 2], 'and leaves a debt');
    clock.now += 3000;
    flow.release();
    assert.deepEqual(handler.processed, [0, 1, 2], 'the debt (300 KB) takes 3 s to pay off');
    clock.now += 10;
    flow.release();
    assert.deepEqual(handler.processed, [0, 1, 2, 3]);
    flow.close();
  });

  it('closes a member whose held input passes the input queue limit, counting a per-item overhead', () => {
    const { flow, handler } = setup({ rateBurst: 1, maxInputQueue: 10 * HELD_ITEM_OVERHEAD });
    for (const item of items(12, 0)) flow.push(item);
    assert.equal(handler.processed.length, 1);
    assert.ok(handler.events.some((event) => /flooding: \d+ bytes of input waiting, over the 640-byte limit/.test(event)), handler.events.join('; '));
    flow.close();
  });

  it('closes a member held back without a break for the flood-disconnect time, not one that pauses between bursts', () => {
    const flooder = setup({ rateBurst: 1, floodDisconnectMs: 1000 });
    let n = 0;
    // Always something waiting: the sender writes again as soon as it is read.
    for (let t = 0; t <= 1100; t += 100) {
      flooder.flow.push({ n: n++, bytes: 1 });
      flooder.flow.push({ n: n++, bytes: 1 });
      flooder.clock.now += 100;
      flooder.flow.release();
    }
    assert.ok(flooder.handler.events.some((event) => event.includes('over the rate limit for 1 s without a break')), flooder.handler.events.join('; '));
    flooder.flow.close();

    const paced = setup({ rateBurst: 1, floodDisconnectMs: 1000 });
    for (let i = 0; i < 30; i += 1) {
      paced.flow.push({ n: i, bytes: 1 });
      paced.clock.now += 60; // 16/s: under 20/s, and the single token is always back in time
    }
    assert.equal(paced.handler.processed.length, 30);
    assert.deepEqual(paced.handler.events, []);
    paced.flow.close();
  });

  it('processes nothing more once closed', () => {
    const { flow, handler, clock } = setup({ rateBurst: 1 });
    flow.push({ n: 0, bytes: 1 });
    flow.push({ n: 1, bytes: 1 });
    flow.close();
    clock.now += 10_000;
    flow.release();
    flow.push({ n: 2, bytes: 1 });
    assert.deepEqual(handler.processed, [0]);
  });

  it('with both rates off, nothing is ever held', () => {
    const { flow, handler } = setup({ rateLimit: 0, rateLimitBytes: 0 });
    for (const item of items(1000, 100_000)) flow.push(item);
    assert.equal(handler.processed.length, 1000);
    assert.deepEqual(handler.events, []);
    flow.close();
  });
});

describe('InputFlow.suspend (an item whose work goes on: /login waiting for its hash)', () => {
  it('holds what follows, in order, with the connection paused, until resume; then reads again', () => {
    const { flow, handler } = setup();
    flow.push({ n: 0, bytes: 10 });
    flow.suspend();
    assert.equal(flow.holding, true, 'a transport that sees the peer end waits for the held work');
    for (const item of items(3, 10, 1)) flow.push(item);
    assert.deepEqual(handler.processed, [0]);
    assert.ok(handler.events.includes('pause'));
    flow.resume();
    assert.deepEqual(handler.processed, [0, 1, 2, 3]);
    assert.equal(handler.events.at(-1), 'resume');
    assert.equal(flow.holding, false);
    flow.close();
  });

  it('an item run from the held queue may suspend again: the rest waits for that one too', () => {
    const handler = new Recorder();
    let flow: InputFlow<string, Item> | null = null;
    const suspending: InputHandler<string, Item> = {
      ...handler,
      process: (member, item) => {
        handler.process(member, item);
        if (item.n === 2) flow?.suspend();
      },
      pauseInput: () => handler.pauseInput(),
      resumeInput: () => handler.resumeInput(),
      slowedDown: () => handler.slowedDown(),
      flooding: (member, why) => handler.flooding(member, why),
    };
    flow = new InputFlow<string, Item>('m', LIMITS, () => 1_000_000, suspending);
    flow.push({ n: 0, bytes: 10 });
    flow.suspend();
    for (const item of items(4, 10, 1)) flow.push(item);
    flow.resume();
    assert.deepEqual(handler.processed, [0, 1, 2], 'item 2 suspended the flow');
    flow.resume();
    assert.deepEqual(handler.processed, [0, 1, 2, 3, 4]);
    flow.resume();
    assert.deepEqual(handler.processed, [0, 1, 2, 3, 4], 'a resume without a suspend does nothing');
    flow.close();
  });
});

describe('InputFlow timers (setTimeout faked on the injected clock)', () => {
  it('arms one timer for when the next token is back; it releases the held input in order, then reading resumes', (t) => {
    const { flow, handler, clock } = setup({ rateBurst: 1 });
    const timers = new FakeTimers(clock, t);
    for (const item of items(3)) flow.push(item);
    assert.deepEqual(handler.processed, [0]);
    assert.equal(timers.size, 1, 'one timer, however much is held');
    timers.advance(49);
    assert.deepEqual(handler.processed, [0], 'not before the token is back');
    timers.advance(1);
    assert.deepEqual(handler.processed, [0, 1]);
    assert.equal(timers.size, 1, 'armed again for the next item');
    timers.advance(50);
    assert.deepEqual(handler.processed, [0, 1, 2]);
    assert.deepEqual(handler.events, ['slowed', 'pause', 'resume']);
    assert.equal(timers.size, 0);
    flow.close();
  });

  it('close cancels the pending timer: a departed member keeps nothing armed', (t) => {
    const { flow, handler, clock } = setup({ rateBurst: 1 });
    const timers = new FakeTimers(clock, t);
    for (const item of items(2)) flow.push(item);
    assert.equal(timers.size, 1);
    flow.close();
    assert.equal(timers.size, 0);
    timers.advance(10_000);
    assert.deepEqual(handler.processed, [0]);
  });

  it('a member closed by the input queue limit is not then told it is slowed down, paused or timed', (t) => {
    const { clock } = setup();
    const timers = new FakeTimers(clock, t);
    const handler = new Recorder();
    let flow: InputFlow<string, Item> | null = null;
    const closing: InputHandler<string, Item> = {
      process: (member, item) => handler.process(member, item),
      pauseInput: () => handler.pauseInput(),
      resumeInput: () => handler.resumeInput(),
      slowedDown: () => handler.slowedDown(),
      flooding: (member, why) => {
        handler.flooding(member, why);
        flow?.close(); // what the hub does: the member goes
      },
    };
    flow = new InputFlow<string, Item>('m', { ...LIMITS, rateBurst: 1, maxInputQueue: 10 }, () => clock.now, closing);
    flow.push({ n: 0, bytes: 1 });
    flow.push({ n: 1, bytes: 1 });
    assert.deepEqual(handler.processed, [0]);
    assert.equal(handler.events.length, 1, handler.events.join('; '));
    assert.match(handler.events[0]!, /^flooding: flooding: 65 bytes of input waiting, over the 10-byte limit$/);
    assert.equal(timers.size, 0);
  });

  it('says "slowed down" once per run: input held again before any was admitted without waiting is the same run', (t) => {
    const { flow, handler, clock } = setup({ rateBurst: 1 });
    const timers = new FakeTimers(clock, t);
    flow.push({ n: 0, bytes: 1 });
    flow.push({ n: 1, bytes: 1 });
    timers.advance(50);
    assert.deepEqual(handler.events, ['slowed', 'pause', 'resume']);
    flow.push({ n: 2, bytes: 1 }); // the token went to item 1: held again, same run
    assert.deepEqual(handler.events, ['slowed', 'pause', 'resume', 'pause']);
    timers.advance(50);
    timers.advance(50); // a token saved up: the next item goes at once, and the run is over
    flow.push({ n: 3, bytes: 1 });
    flow.push({ n: 4, bytes: 1 });
    assert.deepEqual(handler.processed, [0, 1, 2, 3]);
    assert.deepEqual(handler.events, ['slowed', 'pause', 'resume', 'pause', 'resume', 'slowed', 'pause']);
    flow.close();
  });

  it('counts released input out of the input queue: the limit is on what waits now, not on all that ever waited', (t) => {
    const { flow, handler, clock } = setup({ rateBurst: 1, maxInputQueue: 2 * (10 + HELD_ITEM_OVERHEAD) });
    const timers = new FakeTimers(clock, t);
    for (const item of items(3)) flow.push(item);
    assert.deepEqual(handler.events, ['slowed', 'pause'], 'two items waiting: exactly the limit, not over it');
    timers.advance(100);
    assert.deepEqual(handler.processed, [0, 1, 2]);
    for (const item of items(2, 10, 3)) flow.push(item);
    assert.equal(handler.processed.length, 3, 'no token saved up: both wait');
    assert.ok(!handler.events.some((event) => event.startsWith('flooding')), handler.events.join('; '));
    flow.push({ n: 5, bytes: 10 });
    assert.match(handler.events.at(-1)!, /^flooding: flooding: 222 bytes of input waiting, over the 148-byte limit$/);
    flow.close();
  });

  it('closes a flooder held back exactly floodDisconnectMs without a break, not a moment before', (t) => {
    const { flow, handler, clock } = setup({ rateBurst: 1, floodDisconnectMs: 1000 });
    const timers = new FakeTimers(clock, t);
    for (const item of items(40, 1)) flow.push(item);
    timers.advance(950);
    assert.equal(handler.processed.length, 20);
    assert.ok(!handler.events.some((event) => event.startsWith('flooding')), handler.events.join('; '));
    timers.advance(50);
    assert.equal(handler.events.at(-1), 'flooding: flooding: over the rate limit for 1 s without a break');
    assert.equal(timers.size, 0, 'nothing more is released for it');
    flow.close();
  });

  it('input held during suspended work and then short of tokens is paced, not taken for a flood', (t) => {
    const { flow, handler, clock } = setup({ rateBurst: 1, floodDisconnectMs: 1000 });
    const timers = new FakeTimers(clock, t);
    flow.push({ n: 0, bytes: 1 });
    flow.suspend();
    for (const item of items(2, 1, 1)) flow.push(item);
    flow.resume();
    assert.deepEqual(handler.processed, [0]);
    assert.ok(!handler.events.some((event) => event.startsWith('flooding')), handler.events.join('; '));
    timers.advance(100);
    assert.deepEqual(handler.processed, [0, 1, 2]);
    assert.equal(handler.events.at(-1), 'resume');
    flow.close();
  });

  it('resume leaves held input to a pending timer rather than running it early', (t) => {
    const { flow, handler, clock } = setup({ rateBurst: 1 });
    const timers = new FakeTimers(clock, t);
    flow.push({ n: 0, bytes: 1 });
    flow.push({ n: 1, bytes: 1 });
    flow.suspend();
    clock.now += 50; // the token is back, but the timer has not fired yet
    flow.resume();
    assert.deepEqual(handler.processed, [0]);
    timers.advance(0);
    assert.deepEqual(handler.processed, [0, 1]);
    assert.equal(timers.size, 0);
    flow.close();
  });
});

describe('InputFlow.suspend and resume (the calls a transport sees)', () => {
  it('while suspended, a release (the timer) runs nothing: held input waits for resume', () => {
    const { flow, handler } = setup();
    flow.push({ n: 0, bytes: 1 });
    flow.suspend();
    for (const item of items(2, 1, 1)) flow.push(item);
    flow.release();
    assert.deepEqual(handler.processed, [0]);
    flow.resume();
    assert.deepEqual(handler.processed, [0, 1, 2]);
    flow.close();
  });

  it('resume after a suspend with nothing held reads again; a resume without a suspend, or after close, does nothing', () => {
    const { flow, handler } = setup();
    flow.push({ n: 0, bytes: 1 });
    flow.resume();
    assert.deepEqual(handler.events, [], 'not suspended: nothing to resume');
    flow.suspend();
    flow.resume();
    assert.deepEqual(handler.events, ['resume']);
    flow.suspend();
    flow.close();
    flow.resume();
    assert.deepEqual(handler.events, ['resume'], 'closed: the connection is not read again');
  });
});
