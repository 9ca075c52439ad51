import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nickKey, nickProblem } from './nick.js';
import {
  formatServerPayload,
  formatTimestamp,
  parseClientPayload,
  parseServerPayload,
  parseTimestamp,
  toSingleLine,
} from './payload.js';
import { isBlank, sanitizeText } from './text.js';

describe('payload format', () => {
  it('drops the seed client timestamp, with or without fractional seconds', () => {
    assert.equal(parseClientPayload('2024-10-03 14:22:01 hello there'), 'hello there');
    assert.equal(parseClientPayload('2024-10-03 14:22:01.123456 hello'), 'hello');
    assert.equal(parseClientPayload('2024-10-03 14:22:01 '), '');
  });

  it('takes a payload without the prefix whole', () => {
    assert.equal(parseClientPayload('hello'), 'hello');
    assert.equal(parseClientPayload('2024-10-03 is a date'), '2024-10-03 is a date');
    assert.equal(parseClientPayload('2024-10-03 14:22:01hello'), '2024-10-03 14:22:01hello');
  });

  it('formats UTC timestamps and parses them back', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    assert.equal(formatTimestamp(t), '2026-01-02 03:04:05');
    assert.equal(parseTimestamp('2026-01-02 03:04:05'), Date.UTC(2026, 0, 2, 3, 4, 5));
  });

  it('round-trips the server form, including multi-line text', () => {
    const payload = formatServerPayload('2026-01-02 03:04:05', 'alice', 'hi\nthere');
    assert.deepEqual(parseServerPayload(payload), { timestamp: '2026-01-02 03:04:05', sender: 'alice', text: 'hi\nthere' });
    assert.equal(parseServerPayload('garbage'), null);
  });

  it('shows newlines as ␤ for line clients', () => {
    assert.equal(toSingleLine('a\nb\nc'), 'a␤b␤c');
  });
});

describe('text and nick rules', () => {
  it('strips control characters but keeps tab and newlines, normalising CR', () => {
    assert.equal(sanitizeText('a\u0000b\u0007c\u001b[31md\te\r\nf\rg\u007f\u009b'), 'abc[31md\te\nf\ng');
    assert.equal(sanitizeText('plain'), 'plain');
    assert.ok(isBlank(' \t\n'));
    assert.ok(!isBlank(' x '));
  });

  it('accepts ordinary nicknames, including non-Latin and emoji', () => {
    for (const nick of ['alice', 'Ålesund', '山田', '🦊fox', 'a'.repeat(32)]) assert.equal(nickProblem(nick), null, nick);
  });

  it('refuses empty, long, spaced, colon, control and reserved nicknames', () => {
    for (const nick of ['', 'a'.repeat(33), 'two words', 'a:b', 'tab\there', 'bell\u0007', '*']) {
      assert.notEqual(nickProblem(nick), null, JSON.stringify(nick));
    }
  });

  it('compares nicknames case- and width-insensitively', () => {
    assert.equal(nickKey('Alice'), nickKey('alice'));
    assert.equal(nickKey('ａｌｉｃｅ'), nickKey('ALICE'));
  });
});
