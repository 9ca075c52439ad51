import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClientEvent } from './client-event.js';
import { InvalidEventError } from './errors.js';

/** The error a page gets for `text`: named, coded, with what was wrong. */
function refusal(text: string): InvalidEventError {
  try {
    parseClientEvent(text);
  } catch (error) {
    assert.ok(error instanceof InvalidEventError, `not an InvalidEventError: ${String(error)}`);
    assert.equal(error.name, 'InvalidEventError');
    assert.equal(error.code, 'SB_ERR_INVALID_EVENT');
    return error;
  }
  assert.fail(`accepted ${text}`);
}

describe('parseClientEvent (issue 20, item 7: what a page may send)', () => {
  it('reads every event type, with its optional fields only when given', () => {
    assert.deepEqual(parseClientEvent('{"type":"send","text":"hi"}'), { type: 'send', text: 'hi' });
    assert.deepEqual(parseClientEvent('{"type":"send","text":"hi","room":"#ops"}'), { type: 'send', text: 'hi', room: '#ops' });
    assert.deepEqual(parseClientEvent('{"type":"who"}'), { type: 'who' });
    assert.deepEqual(parseClientEvent('{"type":"join","room":"#ops","after":0,"epoch":"e1"}'), { type: 'join', room: '#ops', after: 0, epoch: 'e1' });
    assert.deepEqual(parseClientEvent('{"type":"part","room":"#ops","reason":"bye"}'), { type: 'part', room: '#ops', reason: 'bye' });
    assert.deepEqual(parseClientEvent('{"type":"msg","to":"ada","text":"psst","kind":"action"}'), { type: 'msg', to: 'ada', text: 'psst', kind: 'action' });
    assert.deepEqual(parseClientEvent('{"type":"topic","room":"#ops","text":"t"}'), { type: 'topic', room: '#ops', text: 't' });
    assert.deepEqual(parseClientEvent('{"type":"rooms"}'), { type: 'rooms' });
    assert.deepEqual(parseClientEvent('{"type":"nick","name":"ada"}'), { type: 'nick', name: 'ada' });
    assert.deepEqual(parseClientEvent('{"type":"pass","password":"s3cret"}'), { type: 'pass', password: 's3cret' });
  });

  it('ignores unknown fields, so a newer page can talk to this server', () => {
    assert.deepEqual(parseClientEvent('{"type":"send","text":"hi","colour":"red"}'), { type: 'send', text: 'hi' });
  });

  it('refuses JSON that is not an object: null, numbers, strings, arrays', () => {
    for (const text of ['null', '42', '"send"', '[]', '[{"type":"send","text":"hi"}]']) {
      assert.match(refusal(text).message, /not a JSON object/, text);
    }
    const notJson = refusal('{"type":');
    assert.match(notJson.message, /not JSON/);
    assert.ok(notJson.cause instanceof SyntaxError, 'the parser\'s error is kept as the cause');
  });

  it('refuses a field of the wrong type, naming the event and the field', () => {
    assert.match(refusal('{"type":"send","text":5}').message, /"send" needs a string "text"/);
    assert.match(refusal('{"type":"send","text":"hi","room":null}').message, /"send" needs a string "room"/);
    assert.match(refusal('{"type":"msg","to":"ada","text":"x","kind":"shout"}').message, /kind "chat" or "action"/);
  });

  it('resumes with a whole, non-negative "after" and an "epoch", or neither', () => {
    for (const after of ['-1', '1.5', '"3"', String(Number.MAX_SAFE_INTEGER + 2)]) {
      assert.match(refusal(`{"type":"join","room":"#ops","after":${after},"epoch":"e"}`).message, /whole number "after"/, after);
    }
    assert.match(refusal('{"type":"join","room":"#ops","after":3}').message, /or neither/);
    assert.match(refusal('{"type":"join","room":"#ops","epoch":"e"}').message, /or neither/);
  });

  it('quotes an unknown type back in at most 40 characters, escaped', () => {
    const long = refusal(`{"type":"${'x'.repeat(500)}"}`).message;
    assert.ok(long.length < 200, `the error is ${long.length} characters`);
    assert.match(long, /unknown type "x{39}…; expected one of "send"/);
    assert.match(refusal('{"type":"<b>\\n"}').message, /unknown type "<b>\\n"/);
    assert.match(refusal('{"text":"no type"}').message, /unknown type null/);
  });
});
