import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputBudgetError } from './errors.js';
import { FrameDecoder } from './frame-decoder.js';
import { encodeFrame } from './frame-encoder.js';
import { InputBuffer } from './input-buffer.js';
import { type BudgetHolder, InputBudget } from './input-budget.js';
import { LineDecoder } from './line-decoder.js';

/** A holder as a connection's buffer is one: it grows only by what the budget grants. */
class Holder implements BudgetHolder {
  held = 0;
  evicted = false;
  private readonly budget: InputBudget;

  constructor(budget: InputBudget) {
    this.budget = budget;
  }

  grow(bytes: number): boolean {
    if (!this.budget.grant(this, bytes)) return false;
    this.held += bytes;
    return true;
  }

  shrink(bytes: number): void {
    this.held -= bytes;
    this.budget.release(this, bytes);
  }

  evict(): void {
    this.held = 0;
    this.evicted = true;
  }
}

describe('InputBudget', () => {
  it('grants growth within the limit and takes it back on release', () => {
    const budget = new InputBudget(1000);
    const a = new Holder(budget);
    assert.equal(a.grow(600), true);
    assert.equal(budget.held, 600);
    a.shrink(100);
    assert.equal(budget.held, 500);
    a.shrink(500);
    assert.equal(budget.held, 0);
    assert.equal(a.evicted, false);
  });

  it('past the limit, evicts the largest holder (freeing more than the asker wants, so one is enough)', () => {
    const budget = new InputBudget(1000);
    const [middle, big, small, asker] = [new Holder(budget), new Holder(budget), new Holder(budget), new Holder(budget)];
    assert.ok(middle.grow(300) && big.grow(500) && small.grow(100));
    assert.equal(asker.grow(200), true);
    assert.deepEqual([middle.evicted, big.evicted, small.evicted, asker.evicted], [false, true, false, false]);
    assert.equal(budget.held, 600);
    assert.equal(big.grow(64), true, 'an evicted holder that grows again is counted again');
    assert.equal(budget.held, 664);
  });

  it('refuses the asker when it would hold at least as much as anyone else', () => {
    const budget = new InputBudget(1000);
    const other = new Holder(budget);
    const asker = new Holder(budget);
    assert.ok(other.grow(400) && asker.grow(400));
    assert.equal(asker.grow(300), false);
    assert.equal(other.evicted, false, 'the smaller holder is kept');
    assert.equal(asker.held, 400, 'a refused growth takes nothing');
    assert.equal(budget.held, 800);
  });

  it('refuses a growth larger than the whole budget', () => {
    const budget = new InputBudget(100);
    assert.equal(new Holder(budget).grow(101), false);
    assert.equal(budget.held, 0);
  });

  it('limit 0 counts but refuses nothing', () => {
    const budget = new InputBudget(0);
    const a = new Holder(budget);
    const b = new Holder(budget);
    assert.ok(a.grow(10_000_000) && b.grow(20_000_000));
    assert.equal(a.evicted, false);
    assert.equal(budget.held, 30_000_000);
  });
});

describe('InputBuffer', () => {
  it('fed one byte at a time, holds at most twice its content (64 bytes at least) and nothing once cleared', () => {
    const buffer = new InputBuffer(1 << 20);
    for (let i = 1; i <= 10_000; i += 1) {
      buffer.append(Uint8Array.of(i & 0xff));
      assert.ok(buffer.held <= Math.max(64, 2 * buffer.length), `capacity ${buffer.held} for ${buffer.length} bytes`);
    }
    assert.equal(buffer.view()[9_999], 10_000 & 0xff);
    buffer.clear();
    assert.equal(buffer.held, 0);
  });

  it('never grows past the largest content it can need', () => {
    const buffer = new InputBuffer(1000);
    buffer.append(new Uint8Array(700));
    assert.equal(buffer.held, 1000);
  });

  it('throws InputBudgetError when its allowance refuses to grow, keeping what it had', () => {
    const budget = new InputBudget(100);
    const buffer = new InputBuffer(1000, budget);
    buffer.append(new Uint8Array(60));
    assert.throws(() => buffer.append(new Uint8Array(60)), InputBudgetError);
    assert.equal(buffer.length, 60);
    assert.equal(budget.held, 64);
  });

  /** An empty read (or an empty rest of one) must not cost a connection between messages any memory. */
  it('appending nothing to an empty buffer allocates nothing and asks the budget for nothing', () => {
    const budget = new InputBudget(100);
    const buffer = new InputBuffer(1000, budget);
    buffer.append(new Uint8Array(0));
    assert.deepEqual([buffer.length, buffer.held, budget.held], [0, 0, 0]);
  });

  it('content of exactly a power of two fits a buffer of that size', () => {
    const buffer = new InputBuffer(1000);
    buffer.append(new Uint8Array(64));
    assert.equal(buffer.held, 64);
    buffer.append(new Uint8Array(64));
    assert.equal(buffer.held, 128);
  });

  it('evicted with no listener, it just lets its memory go', () => {
    const budget = new InputBudget(150);
    const quiet = new InputBuffer(1000, budget);
    quiet.append(new Uint8Array(70));
    new InputBuffer(1000, budget).append(new Uint8Array(30));
    assert.deepEqual([quiet.length, quiet.held], [0, 0]);
  });
});

describe('decoders report what they hold to the budget', () => {
  it('FrameDecoder: a frame fed byte by byte holds < 2× its bytes, and nothing once whole', () => {
    const budget = new InputBudget(0);
    const out: string[] = [];
    const decoder = new FrameDecoder((payload) => out.push(payload), { budget });
    const frame = encodeFrame('x'.repeat(16_000));
    for (let i = 0; i < frame.length - 1; i += 1) {
      decoder.push(frame.subarray(i, i + 1));
      assert.equal(budget.held, decoder.heldBytes);
      assert.ok(decoder.heldBytes <= Math.max(64, 2 * decoder.pendingBytes));
    }
    decoder.push(frame.subarray(frame.length - 1));
    assert.deepEqual(out, ['x'.repeat(16_000)]);
    assert.equal(budget.held, 0);
  });

  it('FrameDecoder: whole frames in one chunk are decoded in place, holding nothing', () => {
    const budget = new InputBudget(1);
    const out: string[] = [];
    const decoder = new FrameDecoder((payload) => out.push(payload), { budget });
    decoder.push(Uint8Array.from([...encodeFrame('one'), ...encodeFrame('two')]));
    assert.deepEqual(out, ['one', 'two']);
    assert.equal(budget.held, 0);
  });

  it('FrameDecoder: close() gives back an unfinished frame', () => {
    const budget = new InputBudget(0);
    const decoder = new FrameDecoder(() => undefined, { budget });
    decoder.push(encodeFrame('y'.repeat(1000)).subarray(0, 500));
    assert.equal(budget.held, 512);
    decoder.close();
    assert.equal(budget.held, 0);
  });

  it('FrameDecoder: evicted for another holder, it fails, holds nothing and tells its owner', () => {
    const budget = new InputBudget(2048);
    const errors: InputBudgetError[] = [];
    const victim = new FrameDecoder(() => undefined, { budget, evictionListener: { inputEvicted: (error) => errors.push(error) } });
    victim.push(encodeFrame('v'.repeat(3000)).subarray(0, 1500));
    const other = new LineDecoder(() => undefined, { budget });
    other.push(new TextEncoder().encode('x'.repeat(1000)));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'SB_ERR_INPUT_BUDGET');
    assert.equal(victim.state, 'failed');
    assert.equal(victim.heldBytes, 0);
    assert.equal(budget.held, 1024);
  });

  it('LineDecoder: an unterminated line is held compactly and given back when it ends or fails', () => {
    const budget = new InputBudget(0);
    const out: string[] = [];
    const decoder = new LineDecoder((line) => out.push(line), { budget, maxLine: 100 });
    for (const byte of new TextEncoder().encode('hello, ')) decoder.push(Uint8Array.of(byte));
    assert.equal(budget.held, 64);
    decoder.push(new TextEncoder().encode('world\r\nnext'));
    assert.deepEqual(out, ['hello, world']);
    assert.equal(decoder.pendingBytes, 4);
    assert.throws(() => decoder.push(new Uint8Array(200).fill(0x61)), /line exceeds/);
    assert.equal(budget.held, 0);
  });

  it('LineDecoder: refused by a full budget it throws InputBudgetError and holds nothing', () => {
    const budget = new InputBudget(100);
    const hog = new Holder(budget);
    assert.ok(hog.grow(50));
    const decoder = new LineDecoder(() => undefined, { budget });
    assert.throws(() => decoder.push(new Uint8Array(60).fill(0x62)), InputBudgetError);
    assert.equal(decoder.heldBytes, 0);
    assert.equal(budget.held, 50);
    assert.equal(hog.evicted, false, 'the hog is smaller than the asker would be');
  });
});

describe('InputBudget at its edges', () => {
  it('an asker that would hold exactly as much as the largest is refused; nobody is evicted for it', () => {
    const budget = new InputBudget(100);
    const [largest, asker] = [new Holder(budget), new Holder(budget)];
    assert.ok(largest.grow(60));
    assert.equal(asker.grow(60), false);
    assert.equal(largest.evicted, false);
  });

  it('of two largest holders of the same size, the one that started holding first is evicted', () => {
    const budget = new InputBudget(100);
    const [first, second, asker] = [new Holder(budget), new Holder(budget), new Holder(budget)];
    assert.ok(first.grow(40) && second.grow(40));
    assert.equal(asker.grow(30), true);
    assert.deepEqual([first.evicted, second.evicted], [true, false]);
  });

  it('a holder that gave back part of what it held can still be evicted', () => {
    const budget = new InputBudget(100);
    const [shrunk, asker] = [new Holder(budget), new Holder(budget)];
    assert.ok(shrunk.grow(70));
    shrunk.shrink(10);
    assert.equal(asker.grow(50), true, 'room was made');
    assert.equal(shrunk.evicted, true);
    assert.equal(budget.held, 50);
  });
});

