import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('admits exactly `burst` at one instant, then one per 1/rate seconds', () => {
    const bucket = new TokenBucket(10, 5, 0);
    for (let i = 0; i < 5; i += 1) assert.equal(bucket.take(0), true, `take ${i}`);
    assert.equal(bucket.take(0), false);
    assert.equal(bucket.take(99), false, 'not before 100 ms');
    assert.equal(bucket.take(100), true);
    assert.equal(bucket.take(100), false);
  });

  it('never saves up more than the burst', () => {
    const bucket = new TokenBucket(10, 3, 0);
    assert.equal(bucket.waitFor(3, 1_000_000), 0);
    bucket.spend(3);
    assert.ok(bucket.waitFor(1, 1_000_000) > 0);
  });

  it('says how long until enough tokens are there, and takes nothing when it says to wait', () => {
    const bucket = new TokenBucket(1000, 1000, 0);
    assert.equal(bucket.takeOrWait(800, 0), 0);
    assert.equal(bucket.takeOrWait(500, 0), 300, '300 tokens short at 1000/s');
    assert.equal(bucket.takeOrWait(500, 299), 1);
    assert.equal(bucket.takeOrWait(500, 300), 0);
  });

  it('lets a cost above the burst through when full, and the debt delays what follows', () => {
    const bucket = new TokenBucket(100, 100, 0);
    assert.equal(bucket.takeOrWait(300, 0), 0);
    assert.equal(bucket.takeOrWait(1, 0), 2010, '201 tokens short at 100/s');
  });

  it('a clock that steps backwards refills nothing until it passes its last reading', () => {
    const bucket = new TokenBucket(10, 1, 1000);
    assert.equal(bucket.take(1000), true);
    assert.equal(bucket.take(500), false);
    assert.equal(bucket.take(1099), false);
    assert.equal(bucket.take(1100), true);
  });

  it('a full bucket keeps its saved tokens when the clock steps back', () => {
    const bucket = new TokenBucket(10, 1, 1000);
    assert.equal(bucket.take(500), true, 'the token saved up by 1000 is still there at 500');
    assert.equal(bucket.take(500), false);
  });
});

