import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClientEvent } from './client-event.js';
import { InvalidEventError } from './errors.js';

/** Optional fields and refusals of parseClientEvent that client-event.test.ts leaves out. */

function refusedWith(text: string): string {
  try {
    parseClientEvent(text);
  } catch (error) {
    assert.ok(error instanceof InvalidEventError);
    return error.message;
  }
  assert.fail(`accepted ${text}`);
}

describe('parseClientEvent optional fields', () => {
  it('who with a room, join without a resume point, part without a reason, msg without and with kind chat', () => {
    assert.deepEqual(parseClientEvent('{"type":"who","room":"#ops"}'), { type: 'who', room: '#ops' });
    assert.deepEqual(parseClientEvent('{"type":"join","room":"#ops"}'), { type: 'join', room: '#ops' });
    assert.deepEqual(parseClientEvent('{"type":"part","room":"#ops"}'), { type: 'part', room: '#ops' });
    assert.deepEqual(parseClientEvent('{"type":"msg","to":"ada","text":"hi"}'), { type: 'msg', to: 'ada', text: 'hi' });
    assert.deepEqual(parseClientEvent('{"type":"msg","to":"ada","text":"hi","kind":"chat"}'), { type: 'msg', to: 'ada', text: 'hi', kind: 'chat' });
  });

  it('refuses a msg of another kind, and names every type when the type is unknown', () => {
    assert.equal(refusedWith('{"type":"msg","to":"ada","text":"hi","kind":"shout"}'), 'invalid event: "msg" has kind "chat" or "action"');
    assert.equal(refusedWith('{"type":"msg","to":"ada","text":"hi","kind":null}'), 'invalid event: "msg" has kind "chat" or "action"');
    assert.equal(
      refusedWith('{"type":"hello"}'),
      'invalid event: unknown type "hello"; expected one of "send", "who", "join", "part", "msg", "topic", "rooms", "nick", "pass"',
    );
  });

  it('quotes a type of exactly 40 characters whole, and cuts one of 41', () => {
    const exactly = 'y'.repeat(38);
    assert.match(refusedWith(`{"type":"${exactly}"}`), new RegExp(`unknown type "${exactly}"; `));
    const over = 'y'.repeat(39);
    assert.match(refusedWith(`{"type":"${over}"}`), new RegExp(`unknown type "${'y'.repeat(39)}…; `));
  });

  it('a resume point needs a number "after": a string epoch alone or with a string after is refused', () => {
    assert.match(refusedWith('{"type":"join","room":"#ops","after":"1","epoch":"e"}'), /whole number "after"/);
    assert.deepEqual(parseClientEvent('{"type":"join","room":"#ops","after":7,"epoch":"e"}'), { type: 'join', room: '#ops', after: 7, epoch: 'e' });
  });
});
