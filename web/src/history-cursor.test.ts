import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryEvent, MessageEvent } from '../../shared/events.js';
import { HistoryCursor, olderHistoryUrl } from './history-cursor.js';

const BASE = 'ws://localhost:8080/ws';

function msg(id: number): MessageEvent {
  return { type: 'message', id, kind: 'chat', time: 1_700_000_000_000 + id, from: 'bob', fromId: 2, text: `m${id}` };
}

function history(mode: HistoryEvent['mode'], ids: number[], epoch = 'e1', more = false): HistoryEvent {
  return { type: 'history', mode, epoch, messages: ids.map(msg), more };
}

const ids = (messages: MessageEvent[]) => messages.map((m) => m.id);

describe('HistoryCursor', () => {
  it('connects without a resume point until it has seen a history', () => {
    assert.equal(new HistoryCursor().resumeUrl(BASE), BASE);
  });

  it('resumes after the newest id it showed, live messages included', () => {
    const cursor = new HistoryCursor();
    assert.deepEqual(cursor.onHistory(history('recent', [3, 4, 5])), { reset: false, messages: [msg(3), msg(4), msg(5)] });
    assert.equal(cursor.onMessage(msg(6)), true);
    assert.equal(cursor.resumeUrl(BASE), `${BASE}?after=6&epoch=e1`);
  });

  it('appends a resume without duplicates and drops repeated live messages', () => {
    const cursor = new HistoryCursor();
    cursor.onHistory(history('recent', [1, 2]));
    assert.equal(cursor.onMessage(msg(3)), true);
    const plan = cursor.onHistory(history('resume', [3, 4, 5]));
    assert.deepEqual({ reset: plan.reset, ids: ids(plan.messages) }, { reset: false, ids: [4, 5] });
    assert.equal(cursor.onMessage(msg(5)), false);
    assert.equal(cursor.onMessage(msg(6)), true);
  });

  it('shows unstored messages (id 0, said while the shared room was unreachable) without moving the cursor', () => {
    const cursor = new HistoryCursor();
    cursor.onHistory(history('recent', [7]));
    assert.equal(cursor.onMessage(msg(0)), true);
    assert.equal(cursor.onMessage(msg(0)), true);
    assert.equal(cursor.resumeUrl(BASE), `${BASE}?after=7&epoch=e1`);
    assert.equal(cursor.onMessage(msg(7)), false);
  });

  it('starts over when the server sends recent history or another epoch', () => {
    const cursor = new HistoryCursor();
    cursor.onHistory(history('recent', [10, 11]));
    const gap = cursor.onHistory(history('recent', [5000, 5001]));
    assert.deepEqual({ reset: gap.reset, ids: ids(gap.messages) }, { reset: true, ids: [5000, 5001] });
    // A server whose history was replaced hands out small ids again: they must show.
    const replaced = cursor.onHistory(history('resume', [1, 2], 'e2'));
    assert.deepEqual({ reset: replaced.reset, ids: ids(replaced.messages) }, { reset: true, ids: [1, 2] });
    assert.equal(cursor.resumeUrl(BASE), `${BASE}?after=2&epoch=e2`);
  });

  it('prepends only older messages of the same epoch', () => {
    const cursor = new HistoryCursor();
    cursor.onHistory(history('recent', [50, 51], 'e1', true));
    const page = { epoch: 'e1', messages: [msg(48), msg(49), msg(50)], more: true };
    assert.deepEqual(ids(cursor.olderToShow(page, 50)), [48, 49]);
    assert.deepEqual(cursor.olderToShow({ ...page, epoch: 'other' }, 50), []);
  });
});

describe('olderHistoryUrl', () => {
  it('pages by id on the page’s own server', () => {
    assert.equal(olderHistoryUrl({ href: 'http://h:1/x?y' }, 40, 50), 'http://h:1/history?before=40&limit=50');
    assert.equal(olderHistoryUrl({ href: 'http://h:1/' }, null, 50), 'http://h:1/history?limit=50');
  });
});
