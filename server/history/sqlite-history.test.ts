import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HistoryRecord, Retention } from './history-store.js';
import { HISTORY_FILE, HistoryUnavailableError, MEMORY_DATA_DIR, SqliteHistory } from './sqlite-history.js';
import { parseRetention } from './retention.js';

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
    for (let id = 1; id <= 5; id += 1) store.append(record(id));
    assert.equal(store.lastId, 5);
    await nextTurn();
    assert.deepEqual(store.recent(10), { records: [1, 2, 3, 4, 5].map((id) => record(id)), more: false });
    store.close();
  });

  it('keeps ids and the epoch across a reopen, even when retention removed the newest', () => {
    const first = new SqliteHistory({ dataDir: dir, retention: { kind: 'age', ms: 1 } });
    for (let id = 1; id <= 3; id += 1) first.append(record(id));
    const epoch = first.epoch;
    assert.equal(first.prune(10_000), 3);
    first.close();
    const second = new SqliteHistory({ dataDir: dir, retention: KEEP_ALL });
    assert.equal(second.lastId, 3);
    assert.equal(second.epoch, epoch);
    assert.throws(() => second.append(record(3)), RangeError);
    second.close();
  });

  it('pages backwards by id and forwards after an id', () => {
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: KEEP_ALL });
    for (let id = 1; id <= 120; id += 1) store.append(record(id));
    const newest = store.recent(50);
    assert.deepEqual([newest.records[0]!.id, newest.records.at(-1)!.id, newest.more], [71, 120, true]);
    const older = store.before(71, 50);
    assert.deepEqual([older.records[0]!.id, older.records.at(-1)!.id, older.more], [21, 70, true]);
    const oldest = store.before(21, 50);
    assert.deepEqual([ids(oldest.records), oldest.more], [[...Array(20).keys()].map((i) => i + 1), false]);
    assert.deepEqual(ids(store.after(117, 10)), [118, 119, 120]);
    assert.deepEqual(store.recent(0), { records: [], more: true });
    store.close();
  });

  it('prunes to a message count, and to an age', () => {
    const store = new SqliteHistory({ dataDir: dir, retention: { kind: 'count', messages: 10 } });
    for (let id = 1; id <= 25; id += 1) store.append(record(id));
    assert.equal(store.prune(0), 15);
    assert.deepEqual(ids(store.recent(100).records), [...Array(10).keys()].map((i) => i + 16));
    store.close();
    const aged = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'age', ms: 60_000 } });
    aged.append(record(1, 0));
    aged.append(record(2, 70_000));
    aged.append(record(3, 100_000));
    assert.equal(aged.prune(120_000), 1);
    assert.deepEqual(ids(aged.recent(10).records), [2, 3]);
    aged.close();
  });

  it('refuses a corrupt file, a folder it cannot write, and a data dir in use, with the path in the message', () => {
    writeFileSync(join(dir, HISTORY_FILE), 'this is not a database, just some text that is long enough '.repeat(100));
    assert.throws(() => new SqliteHistory({ dataDir: dir, retention: KEEP_ALL }), (error: unknown) => {
      assert.ok(error instanceof HistoryUnavailableError);
      assert.match(error.message, new RegExp(`cannot use ${join(dir, HISTORY_FILE)} \\(corrupt`));
      return true;
    });

    const locked = join(dir, 'locked');
    const open = new SqliteHistory({ dataDir: locked, retention: KEEP_ALL });
    assert.throws(() => new SqliteHistory({ dataDir: locked, retention: KEEP_ALL }), /in use by another switchboard process/);
    open.close();

    if (process.getuid?.() === 0) return; // root writes anywhere
    const readOnly = join(dir, 'read-only');
    new SqliteHistory({ dataDir: readOnly, retention: KEEP_ALL }).close();
    rmSync(join(readOnly, HISTORY_FILE));
    chmodSync(readOnly, 0o500);
    assert.throws(() => new SqliteHistory({ dataDir: join(readOnly, 'inner'), retention: KEEP_ALL }), /cannot be created or written/);
    assert.throws(() => new SqliteHistory({ dataDir: readOnly, retention: KEEP_ALL }), /cannot be created or written/);
    chmodSync(readOnly, 0o700);
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
