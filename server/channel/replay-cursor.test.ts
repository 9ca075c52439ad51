import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LostRange } from '../../shared/events.js';
import type { HistoryRecord, HistoryStore, HistoryWindow } from '../history/history-store.js';
import { OutgoingMessage } from '../message/outgoing-message.js';
import { ChannelHistory, ReplayCursor } from './channel-history.js';

/**
 * ReplayCursor and ChannelHistory against a small in-memory store that records what it is asked:
 * how a replay reads in batches, stops at what was said before the join, hands on lost ranges,
 * and what a room without a store replays (channel-history.test.ts has the resume cap on SQLite).
 */

const ROOM = { key: '#lobby', name: '#lobby' };

/** The parts of HistoryStore a room's history uses, over an array; `reads` lists each after() limit. */
class ArrayStore {
  readonly epoch = 'E';
  records: HistoryRecord[] = [];
  readonly reads: number[] = [];
  lost: LostRange[] | undefined;

  constructor(count: number) {
    for (let id = 1; id <= count; id += 1) this.append(ROOM.key, record(id));
  }

  get lastId(): number {
    return this.records.at(-1)?.id ?? 0;
  }

  append(_room: string, added: HistoryRecord): void {
    this.records.push(added);
  }

  after(_room: string, after: number, limit: number): HistoryRecord[] {
    this.reads.push(limit);
    return this.records.filter((r) => r.id > after).slice(0, limit);
  }

  countAfter(_room: string, after: number, limit: number): number {
    return Math.min(limit, this.records.filter((r) => r.id > after).length);
  }

  recentWindow(_room: string, limit: number): HistoryWindow {
    const newest = this.records.slice(-limit);
    return { after: (newest[0]?.id ?? 1) - 1, count: newest.length, more: this.records.length > limit };
  }

  asStore(withLost: boolean): HistoryStore {
    const store = this as unknown as HistoryStore & { lostAfter?: (after: number) => LostRange[] };
    if (withLost) store.lostAfter = (after) => (this.lost ?? []).filter((range) => range.last > after);
    return store;
  }
}

function record(id: number): HistoryRecord {
  return { id, time: id, kind: 'chat', from: 'ada', fromId: 1, text: `m${id}` };
}

function idsOf(cursor: ReplayCursor): number[] {
  const ids: number[] = [];
  for (let message = cursor.take(); message !== null; message = cursor.take()) ids.push(message.id);
  return ids;
}

describe('ReplayCursor', () => {
  it('reads in batches of at most 16, never more than it has left to give', () => {
    const store = new ArrayStore(40);
    const cursor = new ChannelHistory(store.asStore(false), ROOM, 50, 'x').replayFor({ epoch: 'E', after: 0 });
    assert.deepEqual(idsOf(cursor), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(store.reads, [16, 16, 8]);
    assert.equal(cursor.take(), null, 'over');
    assert.deepEqual(store.reads, [16, 16, 8], 'and asks the store nothing more');
  });

  it('gives exactly its count, oldest first, from where it starts', () => {
    const store = new ArrayStore(10);
    const cursor = new ChannelHistory(store.asStore(false), ROOM, 3, 'x').replayFor(undefined);
    assert.deepEqual([cursor.mode, cursor.count, cursor.more], ['recent', 3, true]);
    assert.deepEqual(idsOf(cursor), [8, 9, 10]);
    assert.deepEqual(store.reads, [3]);
  });

  it('stops at the newest id of the time it was made: what retention removed is not made up with newer lines', () => {
    const store = new ArrayStore(3);
    const cursor = new ChannelHistory(store.asStore(false), ROOM, 50, 'x').replayFor({ epoch: 'E', after: 0 });
    store.records = store.records.filter((r) => r.id !== 2);
    store.append(ROOM.key, record(4));
    assert.deepEqual(idsOf(cursor), [1, 3]);
  });

  it('ends when the store has nothing more, even short of its count', () => {
    const store = new ArrayStore(5);
    const cursor = new ChannelHistory(store.asStore(false), ROOM, 50, 'x').replayFor({ epoch: 'E', after: 0 });
    store.records = [];
    assert.equal(cursor.take(), null);
    assert.equal(cursor.take(), null);
    assert.deepEqual(store.reads, [5], 'asked once');
  });

  it('hands on each lost range once, those before an id first, the rest at the end', () => {
    const lost = [
      { first: 3, last: 4 },
      { first: 8, last: 8 },
      { first: 12, last: 15 },
    ];
    const cursor = new ReplayCursor(null, ROOM, { mode: 'resume', epoch: 'E', after: 0, count: 0, more: false, lost });
    assert.deepEqual(cursor.takeLost(8), [{ first: 3, last: 4 }], 'a range starting at the id is not before it');
    assert.deepEqual(cursor.takeLost(9), [{ first: 8, last: 8 }]);
    assert.deepEqual(cursor.takeLost(9), []);
    assert.deepEqual(cursor.takeLost(null), [{ first: 12, last: 15 }]);
    assert.deepEqual(cursor.takeLost(null), []);
  });
});

describe('ChannelHistory', () => {
  it('a resume in the same history gets the ranges the store lost after its point; a store that cannot tell, none', () => {
    const store = new ArrayStore(6);
    store.lost = [
      { first: 1, last: 1 },
      { first: 5, last: 5 },
    ];
    const cursor = new ChannelHistory(store.asStore(true), ROOM, 50, 'x').replayFor({ epoch: 'E', after: 2 });
    assert.deepEqual([cursor.mode, cursor.count, cursor.epoch], ['resume', 4, 'E']);
    assert.deepEqual(cursor.takeLost(null), [{ first: 5, last: 5 }]);
    const without = new ChannelHistory(new ArrayStore(6).asStore(false), ROOM, 50, 'x').replayFor({ epoch: 'E', after: 2 });
    assert.deepEqual(without.takeLost(null), []);
    const fresh = new ChannelHistory(store.asStore(true), ROOM, 50, 'x').replayFor(undefined);
    assert.deepEqual([fresh.mode, fresh.takeLost(null)], ['recent', []]);
  });

  it('stores what is said under the room key; the epoch is the store\'s', () => {
    const store = new ArrayStore(0);
    const history = new ChannelHistory(store.asStore(false), ROOM, 50, 'x');
    assert.equal(history.epoch, 'E');
    history.record(OutgoingMessage.fromRecord(record(7), ROOM));
    assert.deepEqual(
      store.records.map((r) => [r.id, r.text]),
      [[7, 'm7']],
    );
  });

  it('without a store: nothing stored or replayed, and the epoch it was given, whatever the resume point', () => {
    const history = new ChannelHistory(null, ROOM, 50, 'none-123');
    assert.equal(history.epoch, 'none-123');
    history.record(OutgoingMessage.fromRecord(record(1), ROOM));
    for (const resume of [undefined, { epoch: 'none-123', after: 0 }]) {
      const cursor = history.replayFor(resume);
      assert.deepEqual([cursor.mode, cursor.epoch, cursor.count, cursor.more, cursor.take(), cursor.takeLost(null)], ['recent', 'none-123', 0, false, null, []]);
    }
  });

  it('an empty replay tells the epoch and nothing else', () => {
    const cursor = ReplayCursor.empty(ROOM, 'e2');
    assert.deepEqual([cursor.room, cursor.mode, cursor.epoch, cursor.count, cursor.more, cursor.take()], [ROOM, 'recent', 'e2', 0, false, null]);
  });
});
