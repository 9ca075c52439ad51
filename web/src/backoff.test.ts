import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, WAIT_ATTEMPT, attemptAfterClose, reconnectDelay } from './backoff.js';

/** Largest number below 1, the top of Math.random()'s range. */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

describe('reconnectDelay', () => {
  it('uses half a second then doubles, up to ten seconds', () => {
    assert.equal(BACKOFF_BASE_MS, 500);
    assert.equal(BACKOFF_MAX_MS, 10_000);
  });

  it('spans the upper half of each attempt’s window', () => {
    // [lowest, highest] per attempt: the window is base * 2^attempt, capped at the maximum.
    const expected: [number, number][] = [
      [250, 500],
      [500, 1000],
      [1000, 2000],
      [2000, 4000],
      [4000, 8000],
      [5000, 10_000],
      [5000, 10_000],
    ];
    expected.forEach(([lowest, highest], attempt) => {
      assert.equal(reconnectDelay(attempt, 0), lowest, `attempt ${attempt}, random 0`);
      assert.equal(reconnectDelay(attempt, ALMOST_ONE), highest, `attempt ${attempt}, random ~1`);
      assert.equal(reconnectDelay(attempt, 0.5), (lowest + highest) / 2, `attempt ${attempt}, random 0.5`);
    });
  });

  it('stays at the cap for any number of attempts', () => {
    for (const attempt of [6, 10, 31, 32, 100, 1023, 1024, 5000, Number.MAX_SAFE_INTEGER]) {
      assert.equal(reconnectDelay(attempt, 0), BACKOFF_MAX_MS / 2, `attempt ${attempt}`);
      assert.equal(reconnectDelay(attempt, ALMOST_ONE), BACKOFF_MAX_MS, `attempt ${attempt}`);
    }
  });

  it('treats a negative attempt as the first', () => {
    assert.equal(reconnectDelay(-1, 0), 250);
    assert.equal(reconnectDelay(-10, ALMOST_ONE), 500);
  });

  it('grows with the random number and rounds to whole milliseconds', () => {
    assert.equal(reconnectDelay(0, 0.25), 313); // 250 + 62.5, rounded
    assert.equal(reconnectDelay(0, 0.001), 250); // 250 + 0.25, rounded
    assert.equal(reconnectDelay(0, 0.999), 500); // 250 + 249.75, rounded
    assert.equal(reconnectDelay(2, 0.1), 1100);
    assert.equal(reconnectDelay(9, 0.3), 6500);
  });

  it('for every attempt and random in [0, 1): a whole number within the jitter range, never above the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
          const delay = reconnectDelay(attempt, random);
          assert.ok(Number.isInteger(delay), `${delay} is not whole`);
          assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${delay} outside [${ceiling / 2}, ${ceiling}]`);
          assert.ok(delay <= BACKOFF_MAX_MS);
        },
      ),
    );
  });

  it('never shrinks from one attempt to the next for the same random number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          assert.ok(reconnectDelay(attempt + 1, random) >= reconnectDelay(attempt, random));
        },
      ),
    );
  });
});

describe('attemptAfterClose', () => {
  it('a server going away (1001) or full (1013) starts the wait at 2 to 4 seconds', () => {
    for (const code of [1001, 1013]) {
      const attempt = attemptAfterClose(0, code);
      assert.equal(attempt, WAIT_ATTEMPT, `close ${code}`);
      assert.equal(reconnectDelay(attempt, 0), 2000);
      assert.equal(reconnectDelay(attempt, ALMOST_ONE), 4000);
    }
  });

  it('never shortens a wait that has already grown', () => {
    assert.equal(attemptAfterClose(7, 1001), 7);
    assert.equal(attemptAfterClose(WAIT_ATTEMPT + 1, 1013), WAIT_ATTEMPT + 1);
  });

  it('leaves any other close (a dropped network, 1006; a normal close, 1000; a policy close, 1008) to the normal backoff', () => {
    for (const code of [1000, 1006, 1008, 1009, 1011]) assert.equal(attemptAfterClose(0, code), 0, `close ${code}`);
    assert.equal(attemptAfterClose(2, 1006), 2);
  });
});
