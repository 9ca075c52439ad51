import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendPacer } from './send-pacer.js';

describe('SendPacer', () => {
  it('sends up to 90% of the burst at once, then at 90% of the rate, in order, and says when it is drained', async () => {
    const clock = { now: 0 };
    const sent: number[] = [];
    let drained = 0;
    const pacer = new SendPacer<number>(
      { messagesPerSecond: 100, messageBurst: 10, bytesPerSecond: 0, byteBurst: 0 },
      (item) => sent.push(item),
      () => (drained += 1),
      () => clock.now,
    );
    for (let i = 0; i < 12; i += 1) pacer.push(i, 10);
    assert.deepEqual(sent, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(pacer.pending, 3);
    const drainedWhileHolding = drained;
    clock.now = 1000;
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(sent, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(drained, drainedWhileHolding + 1, 'drained once the held lines went');
    pacer.stop();
  });

  it('paces by bytes too, and sends everything at once without limits', () => {
    const clock = { now: 0 };
    const sent: number[] = [];
    const byBytes = new SendPacer<number>({ messagesPerSecond: 0, messageBurst: 0, bytesPerSecond: 1000, byteBurst: 1000 }, (item) => sent.push(item), () => undefined, () => clock.now);
    byBytes.push(1, 600);
    byBytes.push(2, 600);
    assert.deepEqual(sent, [1], '900 bytes of burst: the second waits');
    byBytes.stop();
    const free = new SendPacer<number>({ messagesPerSecond: 0, messageBurst: 0, bytesPerSecond: 0, byteBurst: 0 }, (item) => sent.push(item), () => undefined);
    for (let i = 0; i < 1000; i += 1) free.push(i, 1_000_000);
    assert.equal(sent.length, 1001);
  });

  it('a burst of bytes is 90% of byteBurst: 900 of 1000 go at once, one byte more waits', () => {
    const sent: number[] = [];
    const pacer = new SendPacer<number>({ messagesPerSecond: 0, messageBurst: 0, bytesPerSecond: 1000, byteBurst: 1000 }, (item) => sent.push(item), () => undefined, () => 0);
    pacer.push(1, 600);
    pacer.push(2, 300);
    pacer.push(3, 1);
    assert.deepEqual(sent, [1, 2]);
    assert.equal(pacer.pending, 1);
    pacer.stop();
  });

  it('a burst of messages is 90% of messageBurst, and at least one', () => {
    const sent: number[] = [];
    const one = new SendPacer<number>({ messagesPerSecond: 10, messageBurst: 1, bytesPerSecond: 0, byteBurst: 0 }, (item) => sent.push(item), () => undefined, () => 0);
    one.push(1, 1);
    one.push(2, 1);
    assert.deepEqual(sent, [1], 'a burst of 1 × 90% still sends one');
    one.stop();
  });
});
