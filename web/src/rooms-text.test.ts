import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomsText } from './rooms-text.js';

describe('roomsText', () => {
  it('lists each room with its count and topic, busiest first as sent', () => {
    assert.equal(
      roomsText({ rooms: [{ name: '#lobby', count: 3, topic: '' }, { name: '#ops', count: 1, topic: 'deploys; no pushes on Friday' }], count: 2 }),
      'Rooms: #lobby (3); #ops (1): deploys; no pushes on Friday.',
    );
  });

  it('says how many the server left out, and when there are none', () => {
    assert.equal(roomsText({ rooms: [{ name: '#a', count: 9, topic: '' }], count: 250 }), 'Rooms: #a (9); and 249 more.');
    assert.equal(roomsText({ rooms: [], count: 0 }), 'No rooms.');
  });
});
