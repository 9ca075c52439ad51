import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoute, routeHash } from './room-route.js';

describe('parseRoute / routeHash', () => {
  it('reads a room fragment with or without the room\'s own #', () => {
    assert.deepEqual(parseRoute('#/room/ops'), { kind: 'room', room: '#ops' });
    assert.deepEqual(parseRoute('#/room/%23ops'), { kind: 'room', room: '#ops' });
    assert.deepEqual(parseRoute('#/dm/bob'), { kind: 'dm', peer: 'bob' });
  });

  it('writes a fragment that reads back to the same conversation, for any letters and for % and /', () => {
    for (const room of ['#ops', '#café', '#日本', '#a.b-c_d']) assert.deepEqual(parseRoute(routeHash({ kind: 'room', room })), { kind: 'room', room });
    for (const peer of ['bob', 'a/b', '50%', 'Zoë', '127.0.0.1:4000']) assert.deepEqual(parseRoute(routeHash({ kind: 'dm', peer })), { kind: 'dm', peer });
    assert.equal(routeHash({ kind: 'room', room: '#ops' }), '#/room/ops');
    assert.equal(routeHash({ kind: 'dm', peer: 'a/b' }), '#/dm/a%2Fb');
  });

  it('names no conversation for an empty, foreign or broken fragment', () => {
    for (const hash of ['', '#', '#/', '#/room/', '#/room/%23', '#/dm/', '#/dm/%E0%A4%A', '#top', '#/rooms/ops']) assert.equal(parseRoute(hash), null, hash);
  });
});
