import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GUESSED_DEFAULT_ROOM, joinTarget, looseRoomKey } from './room-names.js';

describe('looseRoomKey', () => {
  it('is one key for a name with or without #, in any case or width', () => {
    const key = looseRoomKey('#ops');
    for (const name of ['ops', '#OPS', ' #Ops ', '#ＯＰＳ', 'ＯＰＳ']) assert.equal(looseRoomKey(name), key, name);
    assert.notEqual(looseRoomKey('#ops2'), key);
  });
});

describe('joinTarget', () => {
  it('reads the room of a typed /join, as typed', () => {
    assert.equal(joinTarget('/join #ops'), '#ops');
    assert.equal(joinTarget('/JOIN   ops  '), 'ops');
    assert.equal(joinTarget('/join #ops and more'), '#ops');
  });

  it('is null for anything else', () => {
    for (const text of ['/join', '/joinx #ops', 'join #ops', '//join #ops', '/part #ops', ' hello']) assert.equal(joinTarget(text), null, text);
  });
});

describe('GUESSED_DEFAULT_ROOM', () => {
  it('is the server\'s default room', async () => {
    // Node can load the nickname tables that the page keeps out of its first bundle.
    const { DEFAULT_ROOM } = await import('../../shared/room-name.js');
    assert.equal(GUESSED_DEFAULT_ROOM, DEFAULT_ROOM);
  });
});
