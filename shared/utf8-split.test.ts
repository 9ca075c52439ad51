import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { splitUtf8 } from './utf8-split.js';

const bytesOf = (text: string): number => new TextEncoder().encode(text).length;

/**
 * splitUtf8 as it was before it became one pass over the code points (commit 986f9c0), kept as
 * the oracle the property below compares against: the rewrite was to change no output at all.
 */
function splitUtf8Before(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must hold one character (4 bytes)');
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let bytes = 0;
    let end = start;
    let lastSpace = -1;
    while (end < text.length) {
      const code = text.codePointAt(end)!;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      if (bytes + width > maxBytes) break;
      if (code === 0x20) lastSpace = end;
      bytes += width;
      end += code >= 0x10000 ? 2 : 1;
    }
    if (end < text.length && lastSpace > start && bytes > maxBytes / 2 && lastSpace - start >= (end - start) / 2) end = lastSpace;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Text made to hit the splitter's edges: many spaces, characters of every UTF-8 width and at the
 * limits of each, astral characters, and lone surrogates (which may meet and make a pair), plus
 * any code point now and then.
 */
const edgyChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', ' ', ' ', 'é', '€', '😀', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\u{10ffff}') },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((n) => String.fromCodePoint(n)) },
);
const edgyText = fc.array(edgyChar, { maxLength: 60 }).map((chars) => chars.join(''));
/** Small limits mostly (where the space rule's halves and the 4-byte minimum bite), some odd ones. */
const limit = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 4, max: 24 }) },
  { weight: 1, arbitrary: fc.integer({ min: 25, max: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(4.5, 7.5, 10.25, Infinity, Number.NaN) },
);

describe('splitUtf8', () => {
  it('refuses a limit that cannot hold a 4-byte character, and accepts 4', () => {
    assert.throws(() => splitUtf8('a', 3), { name: 'RangeError', message: 'maxBytes must hold one character (4 bytes)' });
    assert.deepEqual(splitUtf8('😀😀', 4), ['😀', '😀']);
  });

  it('counts 1, 2, 3 and 4 bytes per character at the limits of each width', () => {
    // U+007F (1), U+0080 and U+07FF (2), U+0800 and U+FFFF (3), U+10000 (4).
    assert.deepEqual(splitUtf8('\u007f\u007f\u007f\u007f\u007f', 4), ['\u007f\u007f\u007f\u007f', '\u007f']);
    assert.deepEqual(splitUtf8('\u0080\u07ff\u0080', 4), ['\u0080\u07ff', '\u0080']);
    assert.deepEqual(splitUtf8('\u0800\uffff', 5), ['\u0800', '\uffff']);
    assert.deepEqual(splitUtf8('\u0800\uffff', 6), ['\u0800\uffff']);
    assert.deepEqual(splitUtf8('a\u{10000}', 4), ['a', '\u{10000}']);
    assert.deepEqual(splitUtf8('a\u{10000}', 5), ['a\u{10000}']);
  });

  it('fills each piece up to exactly the limit when there is no space to break at', () => {
    assert.deepEqual(splitUtf8('abcdefghij', 5), ['abcde', 'fghij']);
    const pieces = splitUtf8('é'.repeat(9), 6);
    assert.deepEqual(pieces, ['ééé', 'ééé', 'ééé']);
  });

  it('breaks before the last space only when it is in the second half of the piece', () => {
    assert.deepEqual(splitUtf8('ab cdefghijkl', 8), ['ab cdefg', 'hijkl'], 'a space in the first half is not used');
    assert.deepEqual(splitUtf8('abcde fghijkl', 8), ['abcde', ' fghijkl']);
    assert.deepEqual(splitUtf8('abcd efghijkl', 8), ['abcd', ' efghijk', 'l'], 'a space exactly in the middle is used');
    assert.deepEqual(splitUtf8(' abcdefghij', 8), [' abcdefg', 'hij'], 'a space at the very start is not a break');
  });

  /** The rule's thresholds, one by one, each at the value where it flips. */
  it('uses a space only in a piece more than half full, measured in bytes', () => {
    // 'ab ' is 3 of 6 bytes when the emoji does not fit: exactly half is not more than half.
    assert.deepEqual(splitUtf8('ab 😀', 6), ['ab ', '😀']);
    assert.deepEqual(splitUtf8('abc d😀', 6), ['abc', ' d😀'], '5 of 6 bytes is more than half');
  });

  it('measures the halves from where the piece starts, not from the start of the text', () => {
    assert.deepEqual(splitUtf8('abcdefghijkl mnop', 8), ['abcdefgh', 'ijkl', ' mnop'], 'space 4 units into an 8-unit piece');
    assert.deepEqual(splitUtf8('abcdefghij klmnop', 8), ['abcdefgh', 'ij klmno', 'p'], 'space 2 units into an 8-unit piece');
  });

  it('cuts the rest carried over from a space again when the next character does not fit beside it', () => {
    // 'ab' is cut at the space; ' €' (4 bytes) and '😀' (4) make 8, over 7: ' €' is a piece alone.
    assert.deepEqual(splitUtf8('ab €😀', 7), ['ab', ' €', '😀']);
    // ' €' and '€' make exactly 7: they stay together.
    assert.deepEqual(splitUtf8('ab €€', 7), ['ab', ' €€']);
  });

  it('does not break the last piece at a space: it fits whole', () => {
    assert.deepEqual(splitUtf8('abcd ef', 8), ['abcd ef']);
    assert.deepEqual(splitUtf8('abcdefgh ij', 8), ['abcdefgh', ' ij']);
    assert.deepEqual(splitUtf8('', 8), []);
  });

  it('never breaks inside a surrogate pair, and the pieces put together are the text', () => {
    const text = `${'x'.repeat(5)}😀 ${'😀'.repeat(5)}é end`;
    for (const max of [4, 5, 6, 7, 9, 16]) {
      const pieces = splitUtf8(text, max);
      assert.equal(pieces.join(''), text, `max ${max}`);
      for (const piece of pieces) {
        assert.ok(bytesOf(piece) <= max, `${JSON.stringify(piece)} over ${max}`);
        assert.ok(!/[\ud800-\udbff]$/.test(piece), `${JSON.stringify(piece)} ends in half a pair`);
      }
    }
  });

  it('property: the same pieces as before the rewrite, and every piece fits, whole, in order', () => {
    fc.assert(
      fc.property(edgyText, limit, (text, max) => {
        const pieces = splitUtf8(text, max);
        assert.deepEqual(pieces, splitUtf8Before(text, max));
        assert.equal(pieces.join(''), text);
        let offset = 0;
        for (const piece of pieces) {
          // A NaN limit cuts nothing (no width compares greater than NaN), as before.
          assert.ok(piece.length > 0 && (bytesOf(piece) <= max || Number.isNaN(max)), `${JSON.stringify(piece)} empty or over ${max}`);
          offset += piece.length;
          const pairCut = /[\ud800-\udbff]/.test(text.charAt(offset - 1)) && /[\udc00-\udfff]/.test(text.charAt(offset));
          assert.ok(!pairCut, `cut inside a surrogate pair at ${offset}`);
        }
      }),
      { numRuns: propertyRuns(5000) },
    );
  });
});

/** Cases a property tries: fewer under `npm run mutation` (SWITCHBOARD_PROPERTY_RUNS), which runs this file once per mutant. */
function propertyRuns(full: number): number {
  const asked = Number(process.env.SWITCHBOARD_PROPERTY_RUNS);
  return Number.isInteger(asked) && asked > 0 ? Math.min(asked, full) : full;
}
