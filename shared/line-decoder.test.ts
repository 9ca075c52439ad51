import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidUtf8Error, LineTooLongError } from './errors.js';
import { LineDecoder } from './line-decoder.js';

/**
 * Any code point but a surrogate, as fast-check's `unit: 'binary'` gives, without the 3 s that
 * unit takes to build its table in every process (this file runs once per mutant under `npm run mutation`).
 */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff - 0x800 }).map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));

const utf8 = new TextEncoder();

function collect(maxLine?: number): { decoder: LineDecoder; out: string[] } {
  const out: string[] = [];
  const decoder = new LineDecoder((line) => out.push(line), maxLine === undefined ? {} : { maxLine });
  return { decoder, out };
}

describe('LineDecoder', () => {
  it('splits LF and CRLF lines and keeps empty ones', () => {
    const { decoder, out } = collect();
    decoder.push(utf8.encode('one\r\ntwo\n\nthree'));
    assert.deepEqual(out, ['one', 'two', '']);
    decoder.push(utf8.encode(' more\r'));
    decoder.push(utf8.encode('\n'));
    assert.deepEqual(out, ['one', 'two', '', 'three more']);
  });

  it('emits an unterminated last line at end of input', () => {
    const { decoder, out } = collect();
    decoder.push(utf8.encode('no newline'));
    decoder.end();
    assert.deepEqual(out, ['no newline']);
  });

  it('reassembles a multi-byte character split across chunks', () => {
    const { decoder, out } = collect();
    const bytes = utf8.encode('é🎉\n');
    for (const byte of bytes) decoder.push(Uint8Array.of(byte));
    assert.deepEqual(out, ['é🎉']);
  });

  it('refuses a line over the limit as soon as it is buffered, without waiting for LF', () => {
    const { decoder } = collect(8);
    decoder.push(utf8.encode('12345678'));
    assert.throws(() => decoder.push(utf8.encode('90')), (error: unknown) => {
      assert.ok(error instanceof LineTooLongError);
      assert.equal(error.code, 'SB_ERR_LINE_TOO_LONG');
      return true;
    });
    assert.equal(decoder.pendingBytes, 0);
  });

  it('accepts a line of exactly the limit with CRLF', () => {
    const { decoder, out } = collect(4);
    decoder.push(utf8.encode('abcd\r'));
    decoder.push(utf8.encode('\n'));
    assert.deepEqual(out, ['abcd']);
  });

  it('refuses a line over the limit that arrives whole with its LF, in one chunk or across two (issue 20, item 1)', () => {
    const whole = collect(4);
    assert.throws(() => whole.decoder.push(utf8.encode('ok\nabcde\n')), LineTooLongError);
    assert.deepEqual(whole.out, ['ok'], 'the lines before it still arrive');
    const split = collect(4);
    split.decoder.push(utf8.encode('abc'));
    assert.throws(() => split.decoder.push(utf8.encode('de\n')), LineTooLongError);
    assert.deepEqual(split.out, []);
    const crOnly = collect(4);
    assert.throws(() => crOnly.decoder.push(utf8.encode('abcd\r\r\n')), LineTooLongError, 'one CR is the line end, not two');
  });

  it('passes a leading byte-order mark on as U+FEFF, on every line (issue 20, item 8)', () => {
    const { decoder, out } = collect();
    decoder.push(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62, 0x0a));
    assert.deepEqual(out, ['\ufeffa', '\ufeffb']);
  });

  it('refuses invalid UTF-8', () => {
    const { decoder, out } = collect();
    assert.throws(() => decoder.push(Uint8Array.of(0x6f, 0x6b, 0x0a, 0xff, 0x0a)), InvalidUtf8Error);
    assert.deepEqual(out, ['ok']);
  });

  it('property: any lines, cut into any chunks, decode to the same lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: anyCodePoint, maxLength: 100 }).map((s) => s.replace(/[\r\n]/g, '')), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 32 }), { minLength: 1, maxLength: 20 }),
        (lines, cuts) => {
          const wire = utf8.encode(lines.map((line) => `${line}\n`).join(''));
          const { decoder, out } = collect();
          let offset = 0;
          for (let i = 0; offset < wire.length; i += 1) {
            const size = cuts[i % cuts.length]!;
            decoder.push(wire.subarray(offset, offset + size));
            offset += size;
          }
          assert.deepEqual(out, lines);
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});

/** Cases a property tries: fewer under `npm run mutation` (SWITCHBOARD_PROPERTY_RUNS), which runs this file once per mutant. */
function propertyRuns(full: number): number {
  const asked = Number(process.env.SWITCHBOARD_PROPERTY_RUNS);
  return Number.isInteger(asked) && asked > 0 ? Math.min(asked, full) : full;
}
