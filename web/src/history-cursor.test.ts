import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryEvent, MessageEvent } from '../../shared/events.js';
import { HistoryCursor, lostText, olderHistoryUrl, planItems } from './history-cursor.js';

const BASE = 'ws://localhost:8080/ws';

function msg(id: number): MessageEvent {
  return { type: 'message', id, kind: 'chat', time: 1_700_000_000_000 + id, from: 'bob', fromId: 2, text: `m${id}` };
}

function history(mode: HistoryEvent['mode'], ids: number[], epoch = 'e1', more = false): HistoryEvent {
  return { type: 'history', room: '#lobby', mode, epoch, messages: ids.map(msg), more };
}

const ids = (messages: MessageEvent[]) => messages.map((m) => m.id);

describe('HistoryCursor', () => {
  it('connects without a resume point until it has seen a history', () => {
    assert.equal(new HistoryCursor().resumeUrl(BASE), BASE);
  });

  it('resumes after the newest id it showed, live messages included', () => {
    const cursor = new HistoryCursor();
    assert.deepEqual(cursor.onHistory(history('recent', [3, 4, 5])), { reset: false, messages: [msg(3), msg(4), msg(5)], lost: [] });
    assert.equal(cursor.onMessage(msg(6)), true);
    assert.equal(cursor.resumeUrl(BASE), `${BASE}?after=6&epoch=e1`);
  });

  it('gives a room\'s join its resume point: none before any history, then the newest id it showed there', () => {
    const cursor = new HistoryCursor();
    assert.equal(cursor.resumePoint(), null);
    cursor.onHistory(history('recent', [10, 14]));
    assert.deepEqual(cursor.resumePoint(), { after: 14, epoch: 'e1' });
    // Ids are one server-wide sequence: a room's next message may be many ids later.
    assert.equal(cursor.onMessage(msg(31)), true);
    assert.deepEqual(cursor.resumePoint(), { after: 31, epoch: 'e1' });
    assert.equal(cursor.onMessage(msg(0)), true);
    assert.deepEqual(cursor.resumePoint(), { after: 31, epoch: 'e1' });
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

  it('notes the ids the server lost where they fall among a resume, once, and resumes past them', () => {
    const cursor = new HistoryCursor();
    cursor.onHistory(history('recent', [80, 81, 82]));
    const event = { ...history('resume', [83, 161, 162]), lost: [{ first: 84, last: 158 }, { first: 160, last: 160 }] };
    const plan = cursor.onHistory(event);
    assert.deepEqual(plan.lost, [{ first: 84, last: 158 }, { first: 160, last: 160 }]);
    assert.deepEqual(
      planItems(plan).map((item) => ('message' in item ? item.message.id : `lost ${item.lost.first}-${item.lost.last}`)),
      [83, 'lost 84-158', 'lost 160-160', 161, 162],
    );
    assert.equal(lostText(plan.lost[0]!), '75 messages from while you were away were lost by the server and cannot be shown.');
    assert.equal(lostText(plan.lost[1]!), '1 message from while you were away was lost by the server and cannot be shown.');

    // Lost ids after everything the resume brought: the cursor moves past them, so the next
    // resume neither asks for them nor notes them again.
    const tail = cursor.onHistory({ ...history('resume', []), lost: [{ first: 150, last: 170 }] });
    assert.deepEqual(tail.lost, [{ first: 163, last: 170 }]);
    assert.deepEqual(planItems(tail), [{ lost: { first: 163, last: 170 } }]);
    assert.equal(cursor.resumeUrl(BASE), `${BASE}?after=170&epoch=e1`);
    assert.deepEqual(cursor.onHistory({ ...history('resume', [171]), lost: [{ first: 163, last: 170 }] }).lost, []);
  });

  it('ignores lost ids on a recent history: the log starts over anyway', () => {
    const cursor = new HistoryCursor();
    cursor.onHistory(history('recent', [1]));
    assert.deepEqual(cursor.onHistory({ ...history('recent', [200]), lost: [{ first: 2, last: 199 }] }).lost, []);
  });

  it('prepends only older messages of the same epoch', () => {
    const cursor = new HistoryCursor();
    cursor.onHistory(history('recent', [50, 51], 'e1', true));
    const page = { room: '#lobby', epoch: 'e1', messages: [msg(48), msg(49), msg(50)], more: true };
    assert.deepEqual(ids(cursor.olderToShow(page, 50)), [48, 49]);
    assert.deepEqual(cursor.olderToShow({ ...page, epoch: 'other' }, 50), []);
  });
});

describe('olderHistoryUrl', () => {
  it('pages by id on the page’s own server', () => {
    assert.equal(olderHistoryUrl({ href: 'http://h:1/x?y' }, '#lobby', 40, 50), 'http://h:1/history?room=%23lobby&before=40&limit=50');
    assert.equal(olderHistoryUrl({ href: 'http://h:1/' }, '#ops', null, 50), 'http://h:1/history?room=%23ops&limit=50');
  });
});
