import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type IdMark, MarkFile, checkMark, readMark } from './id-mark.js';

const BOOT = 'boot-a';

function mark(fields: Partial<IdMark>): IdMark {
  return { epoch: 'e1', sent: 100, reserved: 1100, clean: false, boot: BOOT, failedFrom: 0, ...fields };
}

describe('checkMark: what a start concludes from the database and the id mark', () => {
  it('without a mark (a new data dir, or one from before marks), trusts the database', () => {
    assert.deepEqual(checkMark('e1', 42, 'missing', BOOT), { epoch: 'e1', last: 42, sent: 42, lost: null, newEpochBecause: null });
    assert.deepEqual(checkMark(null, 0, 'missing', BOOT), { epoch: null, last: 0, sent: 0, lost: null, newEpochBecause: null });
  });

  it('ignores the mark of another history', () => {
    assert.deepEqual(checkMark('e2', 42, mark({ sent: 500 }), BOOT), { epoch: 'e2', last: 42, sent: 42, lost: null, newEpochBecause: null });
  });

  it('after a clean stop, continues right after the last id sent', () => {
    assert.deepEqual(checkMark('e1', 100, mark({ clean: true, reserved: 100 }), BOOT), { epoch: 'e1', last: 100, sent: 100, lost: null, newEpochBecause: null });
  });

  it('after kill -9 with the database complete, jumps past the reservation and reports nothing lost', () => {
    assert.deepEqual(checkMark('e1', 100, mark({}), BOOT), { epoch: 'e1', last: 1100, sent: 100, lost: null, newEpochBecause: null });
  });

  it('a database behind the ids sent (a damaged or cut -wal): those ids are lost, for certain on the same boot', () => {
    assert.deepEqual(checkMark('e1', 80, mark({ sent: 300 }), BOOT).lost, { first: 81, last: 300, certain: true, cause: 'store-behind' });
  });

  it('writes that had failed from the id after the newest stored: the cause is the failed writes', () => {
    const check = checkMark('e1', 83, mark({ sent: 158, clean: true, reserved: 158, failedFrom: 84 }), BOOT);
    assert.deepEqual(check, { epoch: 'e1', last: 158, sent: 158, lost: { first: 84, last: 158, certain: true, cause: 'write-failed' }, newEpochBecause: null });
    // Failed writes, and then the log lost some of what had been committed before them.
    assert.equal(checkMark('e1', 70, mark({ sent: 158, failedFrom: 84 }), BOOT).lost?.cause, 'store-behind');
  });

  it('after the machine restarted without a clean stop, only the fsynced reservation is sure: a new epoch after it', () => {
    const check = checkMark('e1', 90, mark({ sent: 95 }), 'boot-b');
    assert.deepEqual(check.lost, { first: 91, last: 1100, certain: false, cause: 'store-behind' });
    assert.deepEqual([check.epoch, check.last, check.sent], [null, 1100, 90]);
    assert.match(check.newEpochBecause ?? '', /restarted without a clean stop/);
    // Without a boot id (not Linux) a restart cannot be seen: the same as one boot.
    assert.equal(checkMark('e1', 100, mark({ boot: '' }), '').epoch, 'e1');
    // A clean stop before the restart leaves nothing in doubt.
    assert.deepEqual(checkMark('e1', 100, mark({ clean: true, reserved: 100 }), 'boot-b'), { epoch: 'e1', last: 100, sent: 100, lost: null, newEpochBecause: null });
  });

  it('a database recreated empty (its whole log lost) keeps the epoch of the mark and reports every id sent', () => {
    assert.deepEqual(checkMark(null, 0, mark({ sent: 300 }), BOOT), {
      epoch: 'e1',
      last: 1100,
      sent: 300,
      lost: { first: 1, last: 300, certain: true, cause: 'store-behind' },
      newEpochBecause: null,
    });
  });

  it('an unreadable mark: what went out is unknown, so a history that had an epoch starts a new one', () => {
    const check = checkMark('e1', 42, 'unreadable', BOOT);
    assert.deepEqual([check.epoch, check.last, check.lost], [null, 42, null]);
    assert.match(check.newEpochBecause ?? '', /unreadable/);
    assert.equal(checkMark(null, 0, 'unreadable', BOOT).newEpochBecause, null);
  });
});

describe('MarkFile and readMark', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-mark-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('overwrites the same 256 bytes in place, so a shorter mark leaves nothing of the longer one behind', () => {
    const path = join(dir, 'mark.json');
    const file = new MarkFile(path);
    file.write(mark({ sent: 123_456_789, reserved: 123_457_789 }), false);
    file.write(mark({ sent: 5, reserved: 1005, clean: true }), true);
    file.close();
    assert.equal(statSync(path).size, 256);
    assert.deepEqual(readMark(path), mark({ sent: 5, reserved: 1005, clean: true }));
    const reopened = new MarkFile(path);
    reopened.write(mark({ sent: 6 }), false);
    reopened.close();
    assert.equal((readMark(path) as IdMark).sent, 6);
  });

  it('reads a missing file as missing, and anything but a whole mark as unreadable', () => {
    assert.equal(readMark(join(dir, 'none.json')), 'missing');
    const path = join(dir, 'bad.json');
    for (const bad of ['', '{"epoch":"e1","sent":5', JSON.stringify({ ...mark({}), sent: -1 }), JSON.stringify({ ...mark({}), clean: 'yes' }), '[]']) {
      writeFileSync(path, bad);
      assert.equal(readMark(path), 'unreadable', bad);
    }
    writeFileSync(path, JSON.stringify(mark({})));
    assert.deepEqual(readMark(path), mark({}));
  });
});
