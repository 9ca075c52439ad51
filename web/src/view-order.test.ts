import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neighbour } from './view-order.js';

describe('neighbour', () => {
  const rooms = ['#lobby', '#ops', 'bob'];

  it('moves one up or down in list order and stops at the ends', () => {
    assert.equal(neighbour(rooms, '#ops', 1), 'bob');
    assert.equal(neighbour(rooms, '#ops', -1), '#lobby');
    assert.equal(neighbour(rooms, 'bob', 1), null);
    assert.equal(neighbour(rooms, '#lobby', -1), null);
  });

  it('starts from an end when nothing (or something no longer listed) is shown', () => {
    assert.equal(neighbour(rooms, null, 1), '#lobby');
    assert.equal(neighbour(rooms, 'gone', -1), 'bob');
    assert.equal(neighbour([], null, 1), null);
  });
});
