import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOT_SUFFIX, botNameProblem, botSender, isBotName } from './bot-name.js';
import { DEFAULT_ROOM, prepareRoomName, ROOM_NAME_MAX, roomKey, roomNameProblem } from './room-name.js';

describe('room names', () => {
  it('prepares a name: trimmed, # added when left out, width-mapped and NFC', () => {
    assert.equal(prepareRoomName('  ops '), '#ops');
    assert.equal(prepareRoomName('#ops'), '#ops');
    assert.equal(prepareRoomName('ＯＰＳ'), '#OPS');
    assert.equal(prepareRoomName('#cafe\u0301'), '#café');
  });

  it(`accepts # and 1 to ${ROOM_NAME_MAX} letters, marks, digits, -, _ and .`, () => {
    for (const name of [DEFAULT_ROOM, '#a', `#${'x'.repeat(ROOM_NAME_MAX)}`, '#dev-ops_2.0', '#日本語', '#café']) {
      assert.equal(roomNameProblem(name), null, name);
    }
    assert.equal(roomNameProblem(`#${'😀'.repeat(1)}`), 'a room name has only letters, digits, -, _ and .');
  });

  it('refuses a name without #, an empty or too long one, and other characters, saying why', () => {
    assert.equal(roomNameProblem('ops'), 'a room name starts with #');
    assert.equal(roomNameProblem('#'), `a room name is # and 1 to ${ROOM_NAME_MAX} characters`);
    assert.equal(roomNameProblem(`#${'x'.repeat(ROOM_NAME_MAX + 1)}`), `a room name is # and 1 to ${ROOM_NAME_MAX} characters`);
    assert.equal(roomNameProblem(`#${'é'.repeat(ROOM_NAME_MAX)}`), null, 'counted in characters, not bytes');
    for (const name of ['#a b', '#a,b', '#a#b', '#a:b', '#a!']) assert.equal(roomNameProblem(name), 'a room name has only letters, digits, -, _ and .', name);
  });

  it('one key for every spelling of a room: case, width, look-alikes, with or without #', () => {
    const key = roomKey('#ops');
    for (const name of ['#OPS', '#Ops', '#ＯＰＳ', '#\u03bfps', 'ops']) assert.equal(roomKey(name), key, name);
    assert.ok(key.startsWith('#'));
    assert.notEqual(roomKey('#dev'), key);
  });
});

describe('bot names', () => {
  it('accepts 1 to 24 ASCII letters, digits, _ and -', () => {
    for (const name of ['ci', 'a', 'x'.repeat(24), 'Deploy_bot-2']) assert.equal(botNameProblem(name), null, name);
  });

  it('refuses anything else, saying what a bot name is', () => {
    for (const name of ['', 'x'.repeat(25), 'has space', 'café', 'ci[bot]', ' ci', 'ci\n']) {
      assert.equal(botNameProblem(name), 'a bot name has 1 to 24 ASCII letters, digits, _ or -', JSON.stringify(name));
    }
  });

  it('a bot is shown with the suffix, and only names with it are bot names, in any case', () => {
    assert.equal(BOT_SUFFIX, '[bot]');
    assert.equal(botSender('ci'), 'ci[bot]');
    assert.equal(isBotName('ci[bot]'), true);
    assert.equal(isBotName('CI[BOT]'), true);
    assert.equal(isBotName('ci'), false);
    assert.equal(isBotName('[bot]ci'), false);
  });
});
