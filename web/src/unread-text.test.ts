import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badgeText, spokenUnread, unreadAnnouncement } from './unread-text.js';

describe('unread words', () => {
  it('shows the count on the badge up to 99, then 99+', () => {
    assert.equal(badgeText(1), '1');
    assert.equal(badgeText(99), '99');
    assert.equal(badgeText(100), '99+');
  });

  it('speaks the whole count, and nothing for none', () => {
    assert.equal(spokenUnread(0), '');
    assert.equal(spokenUnread(120), '120 unread');
  });

  it('announces a room and a direct message apart', () => {
    assert.equal(unreadAnnouncement('room', '#ops'), 'New messages in #ops');
    assert.equal(unreadAnnouncement('dm', 'bob'), 'New direct message from bob');
  });
});
