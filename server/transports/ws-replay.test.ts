import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryEvent } from '../../shared/events.js';
import type { HistoryRecord } from '../history/history-store.js';
import { MEMORY_DATA_DIR, SqliteHistory } from '../history/sqlite-history.js';
import { ChannelHistory } from '../channel/channel-history.js';
import { TrafficStats } from '../stats.js';
import { WsReplay } from './ws-replay.js';

/** The default room's key, which the store files its messages under. */
const LOBBY = '#lobby';

/** The JSON of one unmasked server text frame (7-, 16- or 64-bit length). */
function eventOf(frame: Uint8Array): HistoryEvent {
  const bytes = Buffer.from(frame);
  assert.equal(bytes[0], 0x81, 'a final text frame');
  const short = bytes[1]! & 0x7f;
  const start = short === 126 ? 4 : short === 127 ? 10 : 2;
  return JSON.parse(bytes.subarray(start).toString('utf8')) as HistoryEvent;
}

function record(id: number, kind: HistoryRecord['kind'] = 'chat'): HistoryRecord {
  return { id, time: 1_700_000_000_000 + id, kind, from: 'alice', fromId: 1, text: `${id} ${'x'.repeat(30_000)}` };
}

describe('WsReplay: lost ids in a resume sent in several events', () => {
  it('puts each lost range in the event it falls in, and what is left after the last message in the last event', () => {
    let failures = 0;
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'all' }, onWriteError: () => (failures += 1) });
    // A record the table refuses (its CHECK on kind) is a write that fails, as on a full disk.
    const refused = (id: number) => ({ ...record(id), kind: 'refused' as HistoryRecord['kind'] });
    for (const entry of [record(1), record(2), record(3), refused(4), record(5), record(6), record(7), record(8), refused(9), record(10), refused(11)]) {
      store.append(LOBBY, entry);
      store.commit();
    }
    assert.equal(failures, 3);
    assert.deepEqual(store.lostAfter(1), [
      { first: 4, last: 4 },
      { first: 9, last: 9 },
      { first: 11, last: 11 },
    ]);

    const replay = new WsReplay(new ChannelHistory(store, { name: '#lobby', key: LOBBY }, 50, 'none').replayFor({ epoch: store.epoch, after: 1 }), new TrafficStats());
    const events: HistoryEvent[] = [];
    for (let frame = replay.next(); frame !== null; frame = replay.next()) events.push(eventOf(frame));
    // About 64 KiB per event: two of these 30 kB messages, then a third starts the next one.
    assert.deepEqual(
      events.map((event) => [event.mode, event.messages.map((m) => m.id), event.lost ?? []]),
      [
        ['resume', [2, 3, 5], [{ first: 4, last: 4 }]],
        ['resume', [6, 7, 8], []],
        ['resume', [10], [{ first: 9, last: 9 }, { first: 11, last: 11 }]],
      ],
    );
    store.close();
  });
});
