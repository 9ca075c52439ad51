import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryRecord, StoredRoom } from '../history/history-store.js';
import { MirrorHistory } from './mirror-history.js';
import { recordBytes } from './room-window.js';

function record(id: number, text = `line ${String(id).padStart(6, '0')}`): HistoryRecord {
  return { id, time: id, kind: 'chat', from: 'ada', fromId: 1, text };
}

const ops = { key: '#ops', name: '#Ops' };
const dev = { key: '#dev', name: '#dev' };

describe('MirrorHistory: each instance\'s copy of the shared history, per room, bounded', () => {
  it('keeps each room apart: reads of one room never return another room\'s lines; ids are one sequence', () => {
    const mirror = new MirrorHistory({ epoch: 'e1', window: 100 });
    mirror.append('#ops', record(1));
    mirror.append('#dev', record(2));
    mirror.append('#ops', record(3));
    assert.deepEqual(mirror.recent('#ops', 10).records.map((r) => r.id), [1, 3]);
    assert.deepEqual(mirror.after('#dev', 0, 10).map((r) => r.id), [2]);
    assert.deepEqual(mirror.before('#ops', 3, 10).records.map((r) => r.id), [1]);
    assert.equal(mirror.countAfter('#ops', 1, 10), 1);
    assert.deepEqual(mirror.recentWindow('#ops', 1), { after: 2, count: 1, more: true });
    assert.deepEqual(mirror.recentWindow('#quiet', 5), { after: 3, count: 0, more: false }, 'a room without lines starts at the newest id');
    assert.equal(mirror.lastId, 3);
    mirror.append('#ops', record(3));
    assert.equal(mirror.recent('#ops', 10).records.length, 2, 'a repeat (the room storing what the link stored) is dropped');
  });

  it('keeps at most `window` lines per room (trimmed in steps of a tenth)', () => {
    const mirror = new MirrorHistory({ epoch: 'e1', window: 10 });
    for (let id = 1; id <= 100; id += 1) mirror.append('#ops', record(id));
    const held = mirror.recent('#ops', 1000).records;
    assert.ok(held.length >= 10 && held.length <= 11, `${held.length} held`);
    assert.equal(held.at(-1)?.id, 100);
    assert.equal(mirror.held.records, held.length, 'the count of records held follows the trims');
    assert.equal(mirror.countAfter('#ops', 95, 1001), 5, 'a resume within the window is filled');
    assert.equal(mirror.countAfter('#ops', 50, 1001), 1001, 'a resume from before what the window holds counts as too long: the page starts afresh, no silent gap');
  });

  it('past the memory cap drops the server\'s oldest lines first: the room quiet longest loses its window, a busy room keeps its newest', () => {
    const size = recordBytes(record(1));
    const mirror = new MirrorHistory({ epoch: 'e1', window: 1000, maxBytes: size * 20 });
    for (let id = 1; id <= 5; id += 1) mirror.append('#quiet', record(id));
    for (let id = 6; id <= 40; id += 1) mirror.append('#busy', record(id));
    assert.deepEqual(mirror.recent('#quiet', 10).records, [], 'the quiet room\'s older lines went first');
    assert.deepEqual(mirror.recent('#busy', 100).records.map((r) => r.id), Array.from({ length: 20 }, (_, i) => 21 + i), 'the busy room keeps its newest 20');
    assert.ok(mirror.held.bytes <= size * 20);
    assert.equal(mirror.held.rooms, 1, 'an emptied window is forgotten');
    assert.equal(mirror.countAfter('#quiet', 2, 1001), 1001, 'but not what it lost: a resume from before its last line cannot be filled');
    assert.equal(mirror.countAfter('#quiet', 5, 1001), 0, 'a page that saw its last line has nothing to miss');
    mirror.append('#quiet', record(41));
    assert.equal(mirror.countAfter('#quiet', 2, 1001), 1001, 'still known once it speaks again');
    assert.equal(mirror.countAfter('#quiet', 5, 1001), 1);
  });

  it('10,000 rooms cost at most the cap, and the queue of what to drop stays near the records held', () => {
    const size = recordBytes(record(1));
    const mirror = new MirrorHistory({ epoch: 'e1', window: 50, maxBytes: size * 5000 });
    let id = 0;
    for (let round = 0; round < 5; round += 1) for (let room = 0; room < 10_000; room += 1) mirror.append(`#r${room}`, record(++id));
    assert.ok(mirror.held.bytes <= size * 5000, `${mirror.held.bytes} bytes held`);
    assert.equal(mirror.held.records, 5000);
    assert.deepEqual(mirror.recent('#r9999', 10).records.map((r) => r.id), [id], 'the newest line is held');
    assert.ok(mirror.held.queued <= 2 * 5000 + 1024, `the queue of what to drop does not keep what it dropped: ${mirror.held.queued} entries`);
    // One busy room trimming its window over and over leaves stale queue entries; they are compacted.
    const busy = new MirrorHistory({ epoch: 'e1', window: 10 });
    for (let n = 1; n <= 100_000; n += 1) busy.append('#busy', record(n));
    assert.ok(busy.held.records <= 11);
    assert.ok(busy.held.queued <= 1024, `the queue of what to drop is compacted: ${busy.held.queued} entries`);
  });

  it('start-up: fills from the stream read backwards, each room up to its window, until the cap; then appends go on', () => {
    const size = recordBytes(record(1));
    const mirror = new MirrorHistory({ epoch: 'e1', window: 3, maxBytes: size * 5 });
    // The stream holds ids 1..10: odd ones in #ops, even ones in #dev; read newest first.
    const accepted: number[] = [];
    for (let id = 10; id >= 1; id -= 1) {
      if (!mirror.preload(id % 2 === 0 ? dev : ops, record(id))) break;
      accepted.push(id);
    }
    mirror.finishPreload(10);
    assert.deepEqual(mirror.recent('#dev', 10).records.map((r) => r.id), [6, 8, 10]);
    assert.deepEqual(mirror.recent('#ops', 10).records.map((r) => r.id), [7, 9], 'the cap (5 lines) stopped the read');
    assert.equal(mirror.lastId, 10);
    assert.equal(mirror.countAfter('#ops', 4, 1001), 1001, 'the read stopped at 5: a resume from before it has a gap');
    assert.equal(mirror.countAfter('#ops', 5, 1001), 2);
    assert.equal(mirror.room('#ops')?.name, '#Ops', 'a room named in the stream is known');
    mirror.append('#ops', record(11));
    assert.deepEqual(mirror.recent('#ops', 10).records.map((r) => r.id), [7, 9, 11]);
    assert.deepEqual(mirror.recent('#dev', 10).records.map((r) => r.id), [8, 10], 'over the cap: the server\'s oldest line (6, in #dev) went');
  });

  it('start-up: a room whose window filled before the cap knows the lines it skipped', () => {
    const mirror = new MirrorHistory({ epoch: 'e1', window: 2 });
    for (let id = 6; id >= 3; id -= 1) assert.equal(mirror.preload(ops, record(id)), true);
    mirror.finishPreload(6);
    assert.deepEqual(mirror.recent('#ops', 10).records.map((r) => r.id), [5, 6]);
    assert.equal(mirror.countAfter('#ops', 3, 1001), 1001, '4 was read and not kept');
    assert.equal(mirror.countAfter('#ops', 4, 1001), 2);
  });

  it('rooms: made here once (written to Redis), learnt from Redis and other instances, kept across a new epoch', () => {
    const created: StoredRoom[] = [];
    const mirror = new MirrorHistory({ epoch: 'e1', window: 10, onNewRoom: (room) => created.push(room) });
    mirror.saveRoom({ key: '#ops', name: '#Ops', topic: '' });
    mirror.saveRoom({ key: '#ops', name: '#Ops', topic: 'on call' });
    assert.deepEqual(created, [{ key: '#ops', name: '#Ops', topic: '' }], 'only the first save of a room is a creation');
    assert.equal(mirror.room('#ops')?.topic, 'on call');
    mirror.learnRoom({ key: '#ops', name: '#ops', topic: 'from elsewhere' }, true);
    assert.equal(mirror.room('#ops')?.topic, 'from elsewhere');
    mirror.learnRoom({ key: '#ops', name: '#ops', topic: '' }, false);
    assert.equal(mirror.room('#ops')?.topic, 'from elsewhere', 'a name from the stream does not change a known room');
    mirror.append('#ops', record(5));
    mirror.replace('e2');
    assert.equal(mirror.epoch, 'e2');
    assert.equal(mirror.lastId, 0, 'ids start over');
    assert.deepEqual(mirror.recent('#ops', 10).records, []);
    assert.equal(mirror.room('#ops')?.topic, 'from elsewhere', 'the rooms stay: they are written to Redis again');
  });
});
