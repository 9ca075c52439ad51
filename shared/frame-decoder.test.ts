import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FrameTooLargeError, InvalidUtf8Error } from './errors.js';
import { FrameDecoder } from './frame-decoder.js';
import { encodeFrame } from './frame-encoder.js';

/**
 * Any code point but a surrogate, as fast-check's `unit: 'binary'` gives, without the 3 s that
 * unit takes to build its table in every process (this file runs once per mutant under `npm run mutation`).
 */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff - 0x800 }).map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!.map((byte) => parseInt(byte, 16)));
}

function collect(maxPayload?: number): { decoder: FrameDecoder; out: string[] } {
  const out: string[] = [];
  const decoder = new FrameDecoder((payload) => out.push(payload), maxPayload === undefined ? {} : { maxPayload });
  return { decoder, out };
}

describe('FrameDecoder', () => {
  it('decodes one frame: 00 00 00 02 "hi"', () => {
    const { decoder, out } = collect();
    decoder.push(hex('00000002 6869'));
    assert.deepEqual(out, ['hi']);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('decodes byte by byte, header and body split everywhere', () => {
    const { decoder, out } = collect();
    const wire = hex('00000005 68656c6c6f 00000003 e282ac');
    for (const byte of wire) decoder.push(Uint8Array.of(byte));
    assert.deepEqual(out, ['hello', '€']);
  });

  it('decodes a frame split across two chunks inside the header and inside the body', () => {
    const { decoder, out } = collect();
    decoder.push(hex('0000'));
    assert.deepEqual(out, []);
    assert.equal(decoder.state, 'header');
    decoder.push(hex('0004 6162'));
    assert.equal(decoder.state, 'body');
    decoder.push(hex('6364'));
    assert.deepEqual(out, ['abcd']);
  });

  it('passes a leading byte-order mark on as U+FEFF, in every frame (issue 20, item 8): the decoder drops nothing', () => {
    const { decoder, out } = collect();
    decoder.push(hex('00 00 00 05 ef bb bf 68 69 00 00 00 05 ef bb bf 68 69'));
    assert.deepEqual(out, ['\ufeffhi', '\ufeffhi']);
  });

  it('decodes many frames from one chunk, in order', () => {
    const { decoder, out } = collect();
    const frames = ['a', 'bb', 'ccc', 'd d d'].map(encodeFrame);
    decoder.push(Uint8Array.from(frames.flatMap((frame) => [...frame])));
    assert.deepEqual(out, ['a', 'bb', 'ccc', 'd d d']);
  });

  it('ignores an empty frame (keepalive) without emitting anything', () => {
    const { decoder, out } = collect();
    decoder.push(hex('00000000 00000001 78 00000000'));
    assert.deepEqual(out, ['x']);
  });

  it('refuses an oversize header (ff ff ff ff) before buffering any body', () => {
    const { decoder, out } = collect(1024);
    assert.throws(() => decoder.push(hex('ffffffff 41')), (error: unknown) => {
      assert.ok(error instanceof FrameTooLargeError);
      assert.equal(error.code, 'SB_ERR_FRAME_TOO_LARGE');
      assert.equal(error.length, 0xffffffff);
      return true;
    });
    assert.equal(decoder.state, 'failed');
    assert.equal(decoder.pendingBytes, 0);
    decoder.push(encodeFrame('after'));
    assert.deepEqual(out, []);
  });

  it('accepts a frame of exactly the maximum and refuses one byte more', () => {
    const ok = collect(4);
    ok.decoder.push(encodeFrame('abcd'));
    assert.deepEqual(ok.out, ['abcd']);
    const tooBig = collect(4);
    assert.throws(() => tooBig.decoder.push(encodeFrame('abcde')), FrameTooLargeError);
  });

  it('delivers the frames before an error, then throws InvalidUtf8Error for bad UTF-8', () => {
    const { decoder, out } = collect();
    assert.throws(() => decoder.push(hex('00000002 6f6b 00000002 c328')), (error: unknown) => {
      assert.ok(error instanceof InvalidUtf8Error);
      assert.equal(error.code, 'SB_ERR_INVALID_UTF8');
      return true;
    });
    assert.deepEqual(out, ['ok']);
  });

  it('refuses overlong encodings and lone surrogates', () => {
    for (const body of ['c0af', 'eda080']) {
      const { decoder } = collect();
      const frame = Uint8Array.from([0, 0, 0, body.length / 2, ...hex(body)]);
      assert.throws(() => decoder.push(frame), InvalidUtf8Error);
    }
  });

  it('property: any payloads, cut into any chunks, decode to the same payloads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: anyCodePoint, maxLength: 300 }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
        (payloads, cuts) => {
          const wire = Uint8Array.from(payloads.flatMap((payload) => [...encodeFrame(payload)]));
          const { decoder, out } = collect();
          let offset = 0;
          for (let i = 0; offset < wire.length; i += 1) {
            const size = cuts[i % cuts.length]!;
            decoder.push(wire.subarray(offset, offset + size));
            offset += size;
          }
          // Empty payloads are keepalives and are not reported.
          assert.deepEqual(out, payloads.filter((payload) => payload.length > 0));
          assert.equal(decoder.pendingBytes, 0);
        },
      ),
      { numRuns: propertyRuns(500) },
    );
  });
});

/** Cases a property tries: fewer under `npm run mutation` (SWITCHBOARD_PROPERTY_RUNS), which runs this file once per mutant. */
function propertyRuns(full: number): number {
  const asked = Number(process.env.SWITCHBOARD_PROPERTY_RUNS);
  return Number.isInteger(asked) && asked > 0 ? Math.min(asked, full) : full;
}
