import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameTooLargeError, InputBudgetError, InvalidEventError, InvalidUtf8Error, isSwitchboardError, LineTooLongError, SwitchboardError } from './errors.js';
import { FrameDecoder } from './frame-decoder.js';
import { encodeFrame, encodeFrameHeader } from './frame-encoder.js';
import { InputBudget } from './input-budget.js';
import { LineDecoder, type LineDecoderOptions } from './line-decoder.js';

/**
 * What the decoders promise around the edges, each found by a mutant that survived (issue 20,
 * items 1 and 8): the line decoder after an error and at end(), its memory (nothing copied for a
 * whole line, capacity capped, the budget), and the errors' names, codes, messages and causes.
 */

const utf8 = new TextEncoder();
const bytes = (text: string): Uint8Array => utf8.encode(text);

function lines(options?: LineDecoderOptions): { decoder: LineDecoder; out: string[] } {
  const out: string[] = [];
  return { decoder: new LineDecoder((line) => out.push(line), options), out };
}

describe('LineDecoder after an error', () => {
  it('ignores all further input and end() once a line was too long', () => {
    const { decoder, out } = lines({ maxLine: 4 });
    assert.throws(() => decoder.push(bytes('toolong\n')), LineTooLongError);
    decoder.push(bytes('ok\n'));
    decoder.push(bytes('half'));
    decoder.end();
    assert.deepEqual(out, []);
  });

  it('an invalid last line at end() throws with the decoding error as cause, then input is ignored', () => {
    const { decoder, out } = lines();
    decoder.push(Uint8Array.of(0x61, 0xff));
    assert.throws(
      () => decoder.end(),
      (error: unknown) => error instanceof InvalidUtf8Error && error.cause instanceof TypeError,
    );
    decoder.push(bytes('ok\n'));
    assert.deepEqual(out, []);
  });

  it('an invalid line with its LF carries the decoding error as cause too', () => {
    const { decoder } = lines();
    assert.throws(
      () => decoder.push(Uint8Array.of(0xc3, 0x0a)),
      (error: unknown) => error instanceof InvalidUtf8Error && error.cause instanceof TypeError,
    );
  });
});

describe('LineDecoder.end()', () => {
  it('emits nothing when no line is pending: no spurious empty line', () => {
    const { decoder, out } = lines();
    decoder.end();
    decoder.push(bytes('a\n'));
    decoder.end();
    assert.deepEqual(out, ['a']);
  });

  it('keeps the CR of an unterminated last line (only a line ended by LF loses its CR)', () => {
    const { decoder, out } = lines();
    decoder.push(bytes('hi\r'));
    decoder.end();
    assert.deepEqual(out, ['hi\r']);
  });
});

describe('LineDecoder memory', () => {
  it('decodes a whole line from its chunk without copying it: the budget never sees it', () => {
    const budget = new InputBudget(64);
    const { decoder, out } = lines({ budget });
    decoder.push(bytes(`${'x'.repeat(1000)}\n`));
    assert.equal(out[0]?.length, 1000);
    assert.equal(budget.held, 0);
    assert.equal(decoder.heldBytes, 0);
  });

  it('a long end to a pending line is refused as too long before it is copied (not as over budget)', () => {
    const budget = new InputBudget(64);
    const { decoder } = lines({ maxLine: 10, budget });
    decoder.push(bytes('ab'));
    assert.throws(() => decoder.push(bytes(`${'x'.repeat(100)}\n`)), LineTooLongError);
    assert.equal(budget.held, 0, 'what was held is given back');
  });

  it('holds at most the longest line and its CR for an unterminated line', () => {
    const { decoder } = lines({ maxLine: 100 });
    decoder.push(bytes('y'.repeat(70)));
    assert.equal(decoder.pendingBytes, 70);
    assert.equal(decoder.heldBytes, 101);
  });

  it('evicted by the budget for another connection: fails, tells its listener, ignores further input', () => {
    const budget = new InputBudget(300);
    const evicted: InputBudgetError[] = [];
    const big = lines({ budget, evictionListener: { inputEvicted: (error) => evicted.push(error) } });
    big.decoder.push(bytes('z'.repeat(200)));
    // No room for both (256 + 64 bytes of buffer): the larger holder makes way for the newcomer.
    const small = lines({ budget });
    small.decoder.push(bytes('s'.repeat(50)));
    assert.equal(evicted.length, 1);
    assert.ok(evicted[0] instanceof InputBudgetError);
    big.decoder.push(bytes('\nafter\n'));
    assert.deepEqual(big.out, []);
    small.decoder.push(bytes('\n'));
    assert.deepEqual(small.out, ['s'.repeat(50)]);
  });

  it('an evicted decoder without a listener just fails', () => {
    const budget = new InputBudget(300);
    const big = lines({ budget });
    big.decoder.push(bytes('z'.repeat(200)));
    lines({ budget }).decoder.push(bytes('s'.repeat(40)));
    big.decoder.push(bytes('\n'));
    assert.deepEqual(big.out, []);
  });
});

describe('errors', () => {
  it('each names itself, carries its code and says what went wrong', () => {
    const cases: [SwitchboardError, string, string, string][] = [
      [new SwitchboardError('SB_ERR_INVALID_EVENT', 'base'), 'SwitchboardError', 'SB_ERR_INVALID_EVENT', 'base'],
      [new FrameTooLargeError(70000, 65536), 'FrameTooLargeError', 'SB_ERR_FRAME_TOO_LARGE', 'frame of 70000 bytes exceeds the maximum of 65536 bytes'],
      [new InvalidUtf8Error(), 'InvalidUtf8Error', 'SB_ERR_INVALID_UTF8', 'payload is not valid UTF-8'],
      [new LineTooLongError(10), 'LineTooLongError', 'SB_ERR_LINE_TOO_LONG', 'line exceeds the maximum of 10 bytes'],
      [
        new InputBudgetError(),
        'InputBudgetError',
        'SB_ERR_INPUT_BUDGET',
        "the server's memory for unfinished messages is full and this connection held the largest one (--max-input-bytes)",
      ],
      [new InvalidEventError('no type'), 'InvalidEventError', 'SB_ERR_INVALID_EVENT', 'invalid event: no type'],
    ];
    for (const [error, name, code, message] of cases) {
      assert.deepEqual([error.name, error.code, error.message], [name, code, message]);
      assert.ok(isSwitchboardError(error));
      assert.ok(error instanceof Error);
    }
    const tooLarge = new FrameTooLargeError(5, 4);
    assert.deepEqual([tooLarge.length, tooLarge.max, new LineTooLongError(7).max], [5, 4, 7]);
  });

  it('a cause is kept when given and absent when not', () => {
    const cause = new TypeError('bad byte');
    assert.equal(new InvalidUtf8Error({ cause }).cause, cause);
    assert.equal('cause' in new InvalidUtf8Error(), false);
  });

  it('isSwitchboardError is false for anything else', () => {
    for (const value of [new Error('x'), new TypeError('y'), 'SB_ERR_INVALID_UTF8', null, undefined, { code: 'SB_ERR_INVALID_UTF8' }]) {
      assert.equal(isSwitchboardError(value), false, String(value));
    }
  });
});

describe('encodeFrameHeader', () => {
  it('is the length as 4 bytes, most significant first', () => {
    assert.deepEqual([...encodeFrameHeader(0x01020304)], [1, 2, 3, 4]);
    assert.deepEqual([...encodeFrameHeader(5)], [0, 0, 0, 5]);
  });
});

describe('FrameDecoder memory and failure', () => {
  it('decodes a whole frame from its chunk without copying it: the budget never sees it', () => {
    const budget = new InputBudget(64);
    const out: string[] = [];
    const decoder = new FrameDecoder((payload) => out.push(payload), { budget });
    decoder.push(encodeFrame('x'.repeat(1000)));
    assert.equal(out[0]?.length, 1000);
    assert.equal(budget.held, 0);
  });

  it('holds a partial body in a buffer of 64 bytes at least, and nothing once closed', () => {
    const budget = new InputBudget(0);
    const decoder = new FrameDecoder(() => undefined, { maxPayload: 100, budget });
    decoder.push(Uint8Array.of(...encodeFrameHeader(70), ...bytes('y'.repeat(10))));
    assert.deepEqual([decoder.state, decoder.pendingBytes, decoder.heldBytes, budget.held], ['body', 10, 64, 64]);
    decoder.close();
    assert.deepEqual([decoder.heldBytes, budget.held], [0, 0]);
  });

  it('evicted by the budget: fails (with or without a listener) and tells the listener', () => {
    const budget = new InputBudget(300);
    const evicted: InputBudgetError[] = [];
    const withListener = new FrameDecoder(() => undefined, { budget, evictionListener: { inputEvicted: (error) => evicted.push(error) } });
    withListener.push(Uint8Array.of(...encodeFrameHeader(1000), ...bytes('a'.repeat(200))));
    lines({ budget }).decoder.push(bytes('b'.repeat(40)));
    assert.equal(withListener.state, 'failed');
    assert.equal(evicted.length, 1);
    const another = new InputBudget(300);
    const bare = new FrameDecoder(() => undefined, { budget: another });
    bare.push(Uint8Array.of(...encodeFrameHeader(1000), ...bytes('c'.repeat(200))));
    lines({ budget: another }).decoder.push(bytes('d'.repeat(40)));
    assert.equal(bare.state, 'failed');
  });

  it('an invalid body carries the decoding error as cause', () => {
    const decoder = new FrameDecoder(() => undefined);
    assert.throws(
      () => decoder.push(Uint8Array.of(...encodeFrameHeader(1), 0xff)),
      (error: unknown) => error instanceof InvalidUtf8Error && error.cause instanceof TypeError,
    );
    assert.equal(decoder.state, 'failed');
  });
});

