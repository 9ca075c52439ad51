import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ROOM, roomKey } from '../../shared/room-name.js';
import { SqliteHistory } from '../history/sqlite-history.js';
import { ChannelHistory, RESUME_MAX } from './channel-history.js';

const ROOM = { key: roomKey(DEFAULT_ROOM), name: DEFAULT_ROOM };

/** A store holding messages 1…`count` of the default room, and the room's side of it. */
function roomWith(count: number, joinCount = 50): { store: SqliteHistory; history: ChannelHistory } {
  const store = new SqliteHistory({ dataDir: ':memory:', retention: { kind: 'all' } });
  for (let id = 1; id <= count; id += 1) store.append(ROOM.key, { id, time: id, kind: 'chat', from: 'ada', fromId: 1, text: `m${id}` });
  store.commit();
  return { store, history: new ChannelHistory(store, ROOM, joinCount, 'no-store') };
}

/** The ids a cursor hands out, in order. */
function idsOf(cursor: ReturnType<ChannelHistory['replayFor']>): number[] {
  const ids: number[] = [];
  for (let message = cursor.take(); message !== null; message = cursor.take()) ids.push(message.id);
  return ids;
}

/** The resume cap and `more` (issue 20, item 3): a page is given everything it missed up to RESUME_MAX, else the newest. */
describe('ChannelHistory.replayFor', () => {
  it(`resumes with everything after the page's id when it missed exactly ${RESUME_MAX}`, () => {
    const { store, history } = roomWith(RESUME_MAX + 5);
    const cursor = history.replayFor({ after: 5, epoch: store.epoch });
    assert.equal(cursor.mode, 'resume');
    assert.equal(cursor.count, RESUME_MAX);
    assert.equal(cursor.more, false);
    const ids = idsOf(cursor);
    assert.equal(ids.length, RESUME_MAX);
    assert.deepEqual([ids[0], ids.at(-1)], [6, RESUME_MAX + 5]);
    store.close();
  });

  it(`one message more than ${RESUME_MAX} missed: the newest --history instead, with more set`, () => {
    const { store, history } = roomWith(RESUME_MAX + 5, 50);
    const cursor = history.replayFor({ after: 4, epoch: store.epoch });
    assert.equal(cursor.mode, 'recent');
    assert.equal(cursor.more, true, 'older messages remain for the scroll-back');
    assert.deepEqual(idsOf(cursor), Array.from({ length: 50 }, (_, i) => RESUME_MAX + 5 - 49 + i));
    store.close();
  });

  it('another epoch is not resumed; a history shorter than --history has no more', () => {
    const { store, history } = roomWith(10, 50);
    const other = history.replayFor({ after: 2, epoch: 'another-history' });
    assert.equal(other.mode, 'recent');
    assert.equal(other.more, false);
    assert.deepEqual(idsOf(other), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const resumed = history.replayFor({ after: 10, epoch: store.epoch });
    assert.deepEqual([resumed.mode, resumed.count, idsOf(resumed)], ['resume', 0, []]);
    store.close();
  });
});
