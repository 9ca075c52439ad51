import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitUtf8 } from './utf8-split.js';

const bytesOf = (text: string): number => new TextEncoder().encode(text).length;

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
});
