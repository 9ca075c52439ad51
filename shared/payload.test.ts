import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

  it('drops a timestamp only at the start, and a payload that is only a timestamp is empty text (issue 20, item 5)', () => {
    assert.equal(parseClientPayload('see 2024-10-03 14:22:01 for the outage'), 'see 2024-10-03 14:22:01 for the outage');
    assert.equal(parseClientPayload('2024-10-03 14:22:01'), '');
    assert.equal(parseClientPayload(' 2024-10-03 14:22:01 x'), ' 2024-10-03 14:22:01 x', 'a leading space is not a timestamp');
  });

  it('reads a server payload only with its whole prefix; a sender with no text has empty text', () => {
    assert.deepEqual(parseServerPayload('2026-01-02 03:04:05 ***'), { timestamp: '2026-01-02 03:04:05', sender: '***', text: '' });
    assert.equal(parseServerPayload('x 2026-01-02 03:04:05 ada hi'), null, 'anchored at the start');
    assert.equal(parseServerPayload('2026-01-02 03:04:05'), null, 'no sender');
    assert.equal(parseServerPayload('2026-01-02 03:04:05 ada hi\nx'.replace('2026', '26')), null, 'a short year');
    assert.deepEqual(parseServerPayload('2026-01-02 03:04:05 ada two\nlines'), { timestamp: '2026-01-02 03:04:05', sender: 'ada', text: 'two\nlines' });
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
});
