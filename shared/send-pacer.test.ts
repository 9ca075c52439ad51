import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RateLimits } from './events.js';
import { realPacerTimer, SendPacer, type PacerTimer } from './send-pacer.js';

const NO_LIMITS: RateLimits = { messagesPerSecond: 0, messageBurst: 0, bytesPerSecond: 0, byteBurst: 0 };

/**
 * A pacer with a clock the test sets and a timer it ends by hand: `waits` lists each wait the
 * pacer asked for (ms, and whether it was cancelled), `end()` ends the last one as setTimeout would.
 */
function harness(limits: Partial<RateLimits>) {
  const clock = { now: 0 };
  const sent: number[] = [];
  const waits: { ms: number; cancelled: boolean; ended: () => void }[] = [];
  let drained = 0;
  const timer: PacerTimer = (ended, ms) => {
    const wait = { ms, cancelled: false, ended };
    waits.push(wait);
    return { cancel: () => (wait.cancelled = true) };
  };
  const pacer = new SendPacer<number>({ ...NO_LIMITS, ...limits }, (item) => sent.push(item), () => (drained += 1), () => clock.now, timer);
  const end = (): void => {
    const wait = waits.at(-1)!;
    assert.equal(wait.cancelled, false, 'only a wait still on ends');
    wait.ended();
  };
  return { clock, sent, waits, pacer, end, drained: () => drained };
}

describe('SendPacer', () => {
  it('sends up to 90% of the burst at once, then waits as long as 90% of the rate needs, in order, and says when it is drained', () => {
    const { clock, sent, waits, pacer, end, drained } = harness({ messagesPerSecond: 100, messageBurst: 10 });
    for (let i = 0; i < 12; i += 1) pacer.push(i, 10);
    assert.deepEqual(sent, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(pacer.pending, 3);
    assert.deepEqual(waits.map((wait) => wait.ms), [12], 'one message at 90/s is 11.1 ms (at 100/s it would be 10)');
    assert.equal(drained(), 9, 'drained after each push that sent everything, not once lines are held');
    clock.now = 12;
    end();
    assert.deepEqual(sent, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(drained(), 9, 'two lines still held');
    assert.deepEqual(waits.map((wait) => wait.ms), [12, 11], 'at 12 ms 1.08 tokens were there: the next is 0.92 short');
    clock.now = 1000;
    end();
    assert.deepEqual(sent, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(pacer.pending, 0);
    assert.equal(drained(), 10, 'drained once the held lines went');
    assert.equal(waits.length, 2, 'no wait once drained');
  });

  it('paces bytes at 90% of the byte rate', () => {
    const { clock, sent, waits, pacer, end } = harness({ bytesPerSecond: 1000, byteBurst: 1000 });
    pacer.push(1, 600);
    pacer.push(2, 600);
    assert.deepEqual(sent, [1], '900 bytes of burst: the second waits');
    assert.deepEqual(waits.map((wait) => wait.ms), [334], '300 bytes short at 900 bytes/s (at 1000/s it would be 300)');
    clock.now = 333;
    end();
    assert.deepEqual(sent, [1], 'one millisecond early: it waits on');
    assert.deepEqual(waits.map((wait) => wait.ms), [334, 1]);
    clock.now = 334;
    end();
    assert.deepEqual(sent, [1, 2]);
  });

  it('sends everything at once without limits', () => {
    const { sent, waits, pacer, drained } = harness({});
    for (let i = 0; i < 1000; i += 1) pacer.push(i, 1_000_000);
    assert.equal(sent.length, 1000);
    assert.equal(waits.length, 0);
    assert.equal(drained(), 1000, 'drained after each push');
  });

  it('a burst of bytes is 90% of byteBurst: 900 of 1000 go at once, one byte more waits', () => {
    const { sent, pacer } = harness({ bytesPerSecond: 1000, byteBurst: 1000 });
    pacer.push(1, 600);
    pacer.push(2, 300);
    pacer.push(3, 1);
    assert.deepEqual(sent, [1, 2]);
    assert.equal(pacer.pending, 1);
  });

  it('a burst of messages is 90% of messageBurst, and at least one', () => {
    const { sent, pacer } = harness({ messagesPerSecond: 10, messageBurst: 1 });
    pacer.push(1, 1);
    pacer.push(2, 1);
    assert.deepEqual(sent, [1], 'a burst of 1 × 90% still sends one');
  });

  it('stop() cancels the wait: held lines stay pending, and go only when something is pushed again', () => {
    const { clock, sent, waits, pacer } = harness({ messagesPerSecond: 10, messageBurst: 1 });
    pacer.stop();
    assert.equal(waits.length, 0, 'stopping a pacer that waits for nothing is harmless');
    pacer.push(1, 1);
    pacer.push(2, 1);
    assert.deepEqual(waits.map((wait) => [wait.ms, wait.cancelled]), [[112, false]]);
    pacer.stop();
    assert.deepEqual(waits.map((wait) => [wait.ms, wait.cancelled]), [[112, true]]);
    assert.equal(pacer.pending, 1, 'a closing client counts it as unsent');
    pacer.stop();
    clock.now = 1000;
    pacer.push(3, 1);
    assert.deepEqual(sent, [1, 2], 'pacing again from the held line: one message saved up');
    assert.equal(pacer.pending, 1);
    assert.deepEqual(waits.map((wait) => [wait.ms, wait.cancelled]), [[112, true], [112, false]]);
  });
});

describe('realPacerTimer', () => {
  it('ends its wait after the given time, and not once cancelled', async () => {
    const ended: string[] = [];
    realPacerTimer(() => ended.push('cancelled'), 1).cancel();
    // A deadline bounds the wait, so a broken timer fails this test instead of hanging the run.
    let deadline: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve, reject) => {
      realPacerTimer(() => {
        ended.push('kept');
        resolve();
      }, 5);
      deadline = setTimeout(() => reject(new Error('timed out waiting for the real pacer timer')), 5000);
    });
    clearTimeout(deadline);
    assert.deepEqual(ended, ['kept']);
  });
});
