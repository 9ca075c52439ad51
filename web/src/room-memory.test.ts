import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRememberedRooms } from './room-memory.js';

describe('parseRememberedRooms', () => {
  it('reads back the list it stored, in order, once each', () => {
    assert.deepEqual(parseRememberedRooms(JSON.stringify(['#lobby', '#ops', '#ops', '#dev'])), ['#lobby', '#ops', '#dev']);
  });

  it('is empty for nothing stored or anything that is not a list of room names', () => {
    for (const stored of [null, '', 'not json', '{}', '"#ops"', '42']) assert.deepEqual(parseRememberedRooms(stored), [], String(stored));
    assert.deepEqual(parseRememberedRooms(JSON.stringify(['#ops', 7, null, 'ops', '#', { name: '#x' }])), ['#ops']);
  });

  it('keeps at most 200', () => {
    const many = Array.from({ length: 300 }, (_, i) => `#r${i}`);
    assert.equal(parseRememberedRooms(JSON.stringify(many)).length, 200);
  });
});
