import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JoinReplay } from './join-replay.js';

describe('JoinReplay', () => {
  it('places history at the join point until live traffic follows it', () => {
    const replay = new JoinReplay();
    assert.equal(replay.history(), false, 'no join yet: a history is live');
    replay.begin();
    // The welcome notice comes between the join and the history: it does not end the replay.
    replay.other();
    assert.equal(replay.history(), true);
    assert.equal(replay.history(), true, 'a long replay comes as several events');
    replay.other();
    assert.equal(replay.history(), false, 'a history after live traffic (a replaced history) is live');
  });

  it('starts again on every join (a reconnect re-joins)', () => {
    const replay = new JoinReplay();
    replay.begin();
    replay.history();
    replay.other();
    replay.begin();
    assert.equal(replay.history(), true);
  });
});
