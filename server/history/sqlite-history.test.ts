import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { HistoryRecord, Retention } from './history-store.js';
import { HISTORY_FILE, HistoryUnavailableError, MEMORY_DATA_DIR, SqliteHistory } from './sqlite-history.js';
import { MARK_FILE } from './id-mark.js';
import { parseRetention } from './retention.js';

/** The default room's key, which the store files its messages under. */
const LOBBY = '#lobby';

const KEEP_ALL: Retention = { kind: 'all' };

function record(id: number, time = 1_000 + id): HistoryRecord {
  return { id, time, kind: id % 5 === 0 ? 'action' : 'chat', from: `user${id % 3}`, fromId: id % 3, text: `message ${id} ✓` };
}

const ids = (records: HistoryRecord[]) => records.map((r) => r.id);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('SqliteHistory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-history-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a turn’s appends in one batch and reads them back in order, with every field', async () => {
    const store = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    for (let id = 1; id <= 5; id += 1) store.append(LOBBY, record(id));
    assert.equal(store.lastId, 5);
    await nextTurn();
    assert.deepEqual(store.recent(LOBBY, 10), { records: [1, 2, 3, 4, 5].map((id) => record(id)), more: false });
    store.close();
  });

  it('keeps ids and the epoch across a reopen, even when retention removed the newest', () => {
    const first = new SqliteHistory({ dataDir: dir, retention: { kind: 'age', ms: 1 } });
    for (let id = 1; id <= 3; id += 1) first.append(LOBBY, record(id));
    const epoch = first.epoch;
    assert.equal(first.prune(10_000), 3);
    first.close();
    const second = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    assert.equal(second.lastId, 3);
    assert.equal(second.epoch, epoch);
    assert.throws(() => second.append(LOBBY, record(3)), RangeError);
    second.close();
  });

  it('pages backwards by id and forwards after an id', () => {
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: KEEP_ALL });
    for (let id = 1; id <= 120; id += 1) store.append(LOBBY, record(id));
    const newest = store.recent(LOBBY, 50);
    assert.deepEqual([newest.records[0]!.id, newest.records.at(-1)!.id, newest.more], [71, 120, true]);
    const older = store.before(LOBBY, 71, 50);
    assert.deepEqual([older.records[0]!.id, older.records.at(-1)!.id, older.more], [21, 70, true]);
    const oldest = store.before(LOBBY, 21, 50);
    assert.deepEqual([ids(oldest.records), oldest.more], [[...Array(20).keys()].map((i) => i + 1), false]);
    assert.deepEqual(ids(store.after(LOBBY, 117, 10)), [118, 119, 120]);
    assert.deepEqual(store.recent(LOBBY, 0), { records: [], more: true });
    store.close();
  });

  it('prunes to a message count, and to an age', () => {
    const store = new SqliteHistory({ dataDir: dir, retention: { kind: 'count', messages: 10 } });
    for (let id = 1; id <= 25; id += 1) store.append(LOBBY, record(id));
    assert.equal(store.prune(0), 15);
    assert.deepEqual(ids(store.recent(LOBBY, 100).records), [...Array(10).keys()].map((i) => i + 16));
    store.close();
    const aged = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'age', ms: 60_000 } });
    aged.append(LOBBY, record(1, 0));
    aged.append(LOBBY, record(2, 70_000));
    aged.append(LOBBY, record(3, 100_000));
    assert.equal(aged.prune(120_000), 1);
    assert.deepEqual(ids(aged.recent(LOBBY, 10).records), [2, 3]);
    aged.close();
  });

  it('migrates a one-room history (schema 1) into the default room, ids and epoch kept; rooms then keep apart', () => {
    // The schema the one-room version wrote (server/history/sqlite-history.ts before rooms).
    const old = new Database(join(dir, HISTORY_FILE));
    old.exec(`
      CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('chat', 'action')), sender TEXT NOT NULL, sender_id INTEGER NOT NULL, text TEXT NOT NULL);
      CREATE INDEX messages_by_time ON messages (time);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta (key, value) VALUES ('epoch', 'old-epoch');
    `);
    const insert = old.prepare('INSERT INTO messages (id, time, kind, sender, sender_id, text) VALUES (?, ?, ?, ?, ?, ?)');
    for (let id = 1; id <= 3; id += 1) insert.run(id, 1_000 + id, 'chat', 'old', 1, `old ${id}`);
    old.close();

    const store = new SqliteHistory({ dataDir: dir, retention: { kind: 'count', messages: 2 }, defaultRoom: { key: '#general', name: '#General', topic: '' } });
    assert.equal(store.epoch, 'old-epoch');
    assert.equal(store.lastId, 3);
    assert.deepEqual(store.recent('#general', 10).records.map((r) => r.text), ['old 1', 'old 2', 'old 3']);
    assert.deepEqual(store.room('#general'), { key: '#general', name: '#General', topic: '' });
    store.append('#ops', { ...record(4), text: 'ops 4' });
    store.append('#general', { ...record(5), text: 'general 5' });
    store.append('#ops', { ...record(6), text: 'ops 6' });
    store.append('#ops', { ...record(7), text: 'ops 7' });
    assert.deepEqual(ids(store.recent('#ops', 10).records), [4, 6, 7]);
    assert.deepEqual(ids(store.after('#general', 2, 10)), [3, 5]);
    assert.equal(store.countAfter('#ops', 0, 10), 3);
    assert.deepEqual(store.recentWindow('#ops', 2), { after: 5, count: 2, more: true });
    // The count is kept per room: a busy #ops cannot push #general's history out.
    assert.equal(store.prune(0), 3);
    assert.deepEqual(ids(store.recent('#general', 10).records), [3, 5]);
    assert.deepEqual(ids(store.recent('#ops', 10).records), [6, 7]);
    store.saveRoom({ key: '#ops', name: '#Ops', topic: 'deploys' });
    store.close();
    const again = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL, defaultRoom: { key: '#general', name: '#General', topic: '' } });
    assert.deepEqual(again.room('#ops'), { key: '#ops', name: '#Ops', topic: 'deploys' });
    assert.equal(again.lastId, 7);
    again.close();
  });

  it('refuses a corrupt file, a folder it cannot write, and a data dir in use, with the path in the message', () => {
    writeFileSync(join(dir, HISTORY_FILE), 'this is not a database, just some text that is long enough '.repeat(100));
    assert.throws(() => new SqliteHistory({ dataDir: dir, retention: KEEP_ALL }), (error: unknown) => {
      assert.ok(error instanceof HistoryUnavailableError);
      assert.equal(error.message, `cannot use ${join(dir, HISTORY_FILE)}: not a Switchboard history, or damaged: file is not a database`);
      return true;
    });

    const locked = join(dir, 'locked');
    const open = new SqliteHistory({ dataDir: locked, retention: KEEP_ALL });
    assert.throws(() => new SqliteHistory({ dataDir: locked, retention: KEEP_ALL }), {
      message: `cannot use ${join(locked, HISTORY_FILE)}: it is in use by another switchboard process`,
    });
    open.close();

    if (process.getuid?.() === 0) return; // root writes anywhere
    const readOnly = join(dir, 'read-only');
    new SqliteHistory({ dataDir: readOnly, retention: KEEP_ALL }).close();
    rmSync(join(readOnly, HISTORY_FILE));
    chmodSync(readOnly, 0o500);
    assert.throws(() => new SqliteHistory({ dataDir: join(readOnly, 'inner'), retention: KEEP_ALL }), /cannot be created: permission denied \(EACCES\)/);
    assert.throws(() => new SqliteHistory({ dataDir: readOnly, retention: KEEP_ALL }), /is not writable: permission denied \(EACCES\)/);
    chmodSync(readOnly, 0o700);
  });
});

describe('SqliteHistory when writes fail (a full database)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-full-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A message big enough that a few fill a page. */
  function big(id: number): HistoryRecord {
    return { ...record(id), text: `${id} ${'x'.repeat(1500)}` };
  }

  it('loses each failed batch whole, reports it, and says which ids are lost; the ids go on', () => {
    const failures: [string, number][] = [];
    const store = new SqliteHistory({
      dataDir: dir,
      retention: KEEP_ALL,
      maxPages: 12,
      onWriteError: (error, lost) => failures.push([(error as { code?: string }).code ?? String(error), lost]),
    });
    let id = 0;
    while (failures.length === 0) {
      id += 1;
      store.append(LOBBY, big(id));
      store.commit();
    }
    const firstLost = id;
    // A batch of three that cannot be stored, then single ones.
    for (let n = 0; n < 3; n += 1) store.append(LOBBY, big((id += 1)));
    store.commit();
    store.append(LOBBY, big((id += 1)));
    store.commit();
    assert.deepEqual(failures.slice(0, 3), [
      ['SQLITE_FULL', 1],
      ['SQLITE_FULL', 3],
      ['SQLITE_FULL', 1],
    ]);
    assert.equal(store.lastId, id);
    assert.deepEqual(ids(store.recent(LOBBY, 1000).records), [...Array(firstLost - 1).keys()].map((i) => i + 1));
    assert.deepEqual(store.lostAfter(0), [{ first: firstLost, last: id }]);
    assert.deepEqual(store.lostAfter(firstLost + 1), [{ first: firstLost + 2, last: id }]);
    assert.deepEqual(store.lostAfter(id), []);
    store.close();

    // Room again: the next start knows what went out, records it as lost and continues after it.
    const reopened = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    assert.deepEqual(reopened.startup.lost, { first: firstLost, last: id, certain: true, cause: 'write-failed' });
    assert.equal(reopened.lastId, id);
    reopened.append(LOBBY, record(id + 1));
    reopened.close();
    const third = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    assert.equal(third.startup.lost, null, 'recorded once, not found again');
    assert.deepEqual(third.lostAfter(0), [{ first: firstLost, last: id }]);
    assert.deepEqual(ids(third.after(LOBBY, firstLost - 2, 10)), [firstLost - 1, id + 1]);
    third.close();
  });

  it('a garbled id mark: which ids went out is unknown, so the store starts a new epoch after what it has', () => {
    const first = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    for (let id = 1; id <= 3; id += 1) first.append(LOBBY, record(id));
    const epoch = first.epoch;
    first.close();
    writeFileSync(join(dir, MARK_FILE), '{"epoch": "cut sh');
    const second = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    assert.notEqual(second.epoch, epoch);
    assert.equal(second.lastId, 3);
    assert.match(second.startup.newEpochBecause ?? '', /id mark is unreadable/);
    second.close();
    const third = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    assert.deepEqual([third.epoch, third.startup.newEpochBecause], [second.epoch, null]);
    third.close();
  });

  it('records a loss in the database with the first commit that works again (here: after pruning made room)', () => {
    let failed = 0;
    // 14 pages: the schema's tables take pages too (room_moderation and its index since schema 3), and more than 2 messages must fit.
    const store = new SqliteHistory({ dataDir: dir, retention: { kind: 'count', messages: 2 }, maxPages: 14, onWriteError: () => (failed += 1) });
    let id = 0;
    while (failed === 0) {
      id += 1;
      store.append(LOBBY, big(id));
      store.commit();
    }
    assert.ok(store.prune(0) > 0);
    store.append(LOBBY, big((id += 1)));
    store.commit();
    assert.equal(failed, 1, 'the commit after pruning works');
    assert.deepEqual(store.lostAfter(0), [{ first: id - 1, last: id - 1 }]);
    store.close();
    const reopened = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    assert.equal(reopened.startup.lost, null);
    assert.deepEqual(reopened.lostAfter(0), [{ first: id - 1, last: id - 1 }]);
    reopened.close();
  });
});

describe('parseRetention', () => {
  it('reads counts, ages and keep-all, and refuses the rest', () => {
    assert.deepEqual(parseRetention('10000'), { kind: 'count', messages: 10_000 });
    assert.deepEqual(parseRetention('7d'), { kind: 'age', ms: 7 * 86_400_000 });
    assert.deepEqual(parseRetention('24h'), { kind: 'age', ms: 86_400_000 });
    assert.deepEqual(parseRetention('1.5m'), { kind: 'age', ms: 90_000 });
    assert.deepEqual(parseRetention('0'), { kind: 'all' });
    assert.deepEqual(parseRetention('ALL'), { kind: 'all' });
    for (const bad of ['', '-1', '7 days', '1y', '0d', 'x', '1e3']) assert.equal(parseRetention(bad), null, bad);
  });
});
