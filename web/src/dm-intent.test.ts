import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dmIntent } from './dm-intent.js';

describe('dmIntent', () => {
  it('sends plain text to the peer', () => {
    assert.deepEqual(dmIntent('bob', 'hi bob'), { type: 'msg', to: 'bob', text: 'hi bob' });
    assert.deepEqual(dmIntent('bob', 'two\nlines'), { type: 'msg', to: 'bob', text: 'two\nlines' });
  });

  it('sends /me as an action to the peer, and // as a line that starts with /', () => {
    assert.deepEqual(dmIntent('bob', '/me waves'), { type: 'msg', to: 'bob', text: 'waves', kind: 'action' });
    assert.deepEqual(dmIntent('bob', '//join is a command'), { type: 'msg', to: 'bob', text: '/join is a command' });
  });

  it('sends other commands (and a bare /me) to the server as typed', () => {
    for (const text of ['/join #ops', '/nick robert', '/help', '/me', '/me   ', '/meet']) assert.deepEqual(dmIntent('bob', text), { type: 'send', text }, text);
  });
});
