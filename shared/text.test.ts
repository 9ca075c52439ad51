import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { perTransport, TRANSPORTS } from './events.js';
import { isBlank, sanitizeText } from './text.js';

/** Message text rules, one by one (payload.test.ts has them on the wire forms). */
describe('sanitizeText', () => {
  it('turns CRLF, a lone CR, U+2028 and U+2029 into LF', () => {
    assert.equal(sanitizeText('a\r\nb\rc\u2028d\u2029e'), 'a\nb\nc\nd\ne');
    assert.equal(sanitizeText('\r\r\n'), '\n\n');
  });

  it('removes C0 controls but TAB and LF, DEL and C1 controls; keeps everything else', () => {
    assert.equal(sanitizeText('\u0000a\u0008\tb\u000b\u000c\u000e\u001fc\u007f\u0080\u009fd\n'), 'a\tbcd\n');
    assert.equal(sanitizeText('\u001b[31mred'), '[31mred');
    assert.equal(sanitizeText('\u00a0é😀 ok'), '\u00a0é😀 ok');
  });

  it('leaves clean text as it is, and works on every call (no regex state carried over)', () => {
    for (let i = 0; i < 3; i += 1) {
      assert.equal(sanitizeText('x\u0007y'), 'xy');
      assert.equal(sanitizeText('p\u2028q'), 'p\nq');
    }
    assert.equal(sanitizeText('plain text'), 'plain text');
  });
});

describe('isBlank', () => {
  it('is true for nothing but whitespace, false for anything else', () => {
    for (const text of ['', ' ', '\t\n', '\u3000']) assert.equal(isBlank(text), true, JSON.stringify(text));
    for (const text of ['a', ' . ', '\u200bx']) assert.equal(isBlank(text), false, JSON.stringify(text));
  });
});

describe('perTransport', () => {
  it('is a fresh zero for each transport every time', () => {
    const first = perTransport();
    assert.deepEqual(first, { tcp: 0, line: 0, ws: 0, irc: 0 });
    assert.deepEqual(Object.keys(first), [...TRANSPORTS]);
    first.tcp = 5;
    assert.equal(perTransport().tcp, 0);
  });
});
