import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_PAYLOAD } from '../../shared/limits.js';
import { eventSize, sendEventSize } from './composer.js';

/** `{"type":"send","text":""}`: the bytes around the text. */
const ENVELOPE = 25;

describe('sendEventSize', () => {
  it('counts the whole JSON event, not just the text', () => {
    assert.equal(sendEventSize(''), ENVELOPE);
    assert.equal(sendEventSize('hello'), ENVELOPE + 5);
    assert.equal(sendEventSize('x'.repeat(1000)), ENVELOPE + 1000);
  });

  it('counts UTF-8 bytes, not UTF-16 code units or characters', () => {
    assert.equal(sendEventSize('é'), ENVELOPE + 2); // U+00E9
    assert.equal(sendEventSize('€'), ENVELOPE + 3); // U+20AC
    assert.equal(sendEventSize('日本語'), ENVELOPE + 9);
    assert.equal(sendEventSize('😀'), ENVELOPE + 4); // one code point, two code units
    assert.equal(sendEventSize('👍🏽'), ENVELOPE + 8);
    assert.equal(sendEventSize('e\u0301'), ENVELOPE + 3); // e + combining acute
    assert.equal(sendEventSize('a€😀'), ENVELOPE + 1 + 3 + 4);
  });

  it('counts JSON escapes as they go on the wire', () => {
    assert.equal(sendEventSize('"'), ENVELOPE + 2); // \"
    assert.equal(sendEventSize('\\'), ENVELOPE + 2); // \\
    assert.equal(sendEventSize('\n'), ENVELOPE + 2); // \n
    assert.equal(sendEventSize('\t'), ENVELOPE + 2); // \t
    assert.equal(sendEventSize('\u0001'), ENVELOPE + 6); // \u0001
    assert.equal(sendEventSize('\u007f'), ENVELOPE + 1); // DEL is not escaped by JSON
    assert.equal(sendEventSize('/'), ENVELOPE + 1); // nor is the slash
    assert.equal(sendEventSize('<b>&</b>'), ENVELOPE + 8);
    assert.equal(sendEventSize('say "hi"\n'), ENVELOPE + 12);
  });

  it('counts a lone surrogate as its six-byte JSON escape', () => {
    assert.equal(sendEventSize('\ud800'), ENVELOPE + 6);
    assert.equal(sendEventSize('a\udc00b'), ENVELOPE + 8);
  });

  it('reaches the default limit exactly where the server would', () => {
    const fits = 'x'.repeat(DEFAULT_MAX_PAYLOAD - ENVELOPE);
    assert.equal(sendEventSize(fits), DEFAULT_MAX_PAYLOAD);
    assert.equal(sendEventSize(`${fits}x`), DEFAULT_MAX_PAYLOAD + 1);
    // The same number of characters, each two bytes: twice the text over the limit.
    assert.equal(sendEventSize('é'.repeat(DEFAULT_MAX_PAYLOAD - ENVELOPE)), 2 * DEFAULT_MAX_PAYLOAD - ENVELOPE);
  });
});

describe('eventSize', () => {
  it('counts what a room or a direct message adds around the text', () => {
    assert.equal(eventSize({ type: 'send', text: 'hi', room: '#ops' }), sendEventSize('hi') + ',"room":"#ops"'.length);
    assert.equal(eventSize({ type: 'msg', to: 'bob', text: 'hi' }), '{"type":"msg","to":"bob","text":"hi"}'.length);
    assert.equal(eventSize({ type: 'send', text: 'é', room: '#café' }), sendEventSize('é') + ',"room":"#café"'.length + 1);
  });
});
