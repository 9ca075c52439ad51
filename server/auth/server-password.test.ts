import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolvePassword } from './password-source.js';
import { ServerPassword, ipOfAddress } from './server-password.js';

describe('ServerPassword', () => {
  it('lets the right secret in and not a wrong, longer, shorter or empty one', () => {
    const password = new ServerPassword('s3cret');
    assert.deepEqual(password.check('10.0.0.1', 's3cret', 0), { outcome: 'ok' });
    for (const wrong of ['s3cre', 's3cret ', 'S3CRET', '']) assert.deepEqual(password.check(`10.0.0.${wrong.length + 2}`, wrong, 0), { outcome: 'wrong' }, wrong);
  });

  it('refuses an address unchecked after its burst of failures, even the right secret, until a token is back', () => {
    const password = new ServerPassword('s3cret', { failureBurst: 3, failureRefillMs: 10_000 });
    for (let i = 0; i < 3; i += 1) assert.equal(password.check('10.0.0.1', 'guess', 1000).outcome, 'wrong');
    const locked = password.check('10.0.0.1', 's3cret', 1000);
    assert.equal(locked.outcome, 'locked');
    assert.ok(locked.outcome === 'locked' && locked.retryMs > 9000 && locked.retryMs <= 10_000, JSON.stringify(locked));
    assert.deepEqual(password.check('10.0.0.2', 's3cret', 1000), { outcome: 'ok' }, 'another address is not slowed down');
    assert.equal(password.check('10.0.0.1', 's3cret', 5000).outcome, 'locked');
    assert.deepEqual(password.check('10.0.0.1', 's3cret', 11_000), { outcome: 'ok' }, 'one attempt counts again once a token is back');
    assert.equal(password.check('10.0.0.1', 'guess', 11_000).outcome, 'wrong');
    assert.equal(password.check('10.0.0.1', 'guess', 11_000).outcome, 'locked');
  });

  it('remembers failures of at most maxTracked addresses, forgetting the oldest', () => {
    const password = new ServerPassword('s3cret', { maxTracked: 2, failureBurst: 1 });
    password.check('10.0.0.1', 'x', 0);
    password.check('10.0.0.2', 'x', 0);
    password.check('10.0.0.3', 'x', 0);
    assert.equal(password.tracked, 2);
    assert.deepEqual(password.check('10.0.0.1', 's3cret', 0), { outcome: 'ok' }, 'the oldest was forgotten');
    assert.equal(password.check('10.0.0.3', 's3cret', 0).outcome, 'locked');
  });

  it('takes the IP of an ip:port address, v6 too', () => {
    assert.equal(ipOfAddress('127.0.0.1:5000'), '127.0.0.1');
    assert.equal(ipOfAddress('[::1]:5000'), '::1');
  });
});

describe('resolvePassword', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-pass-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is --password, or the first line of --password-file without its line ending', () => {
    assert.equal(resolvePassword(null, null), null);
    assert.equal(resolvePassword('s3cret', null), 's3cret');
    const file = join(dir, 'pw');
    writeFileSync(file, 'from file\r\nsecond line\n');
    assert.equal(resolvePassword(null, file), 'from file');
  });

  it('fails in one line naming the flag for a missing or empty file', () => {
    assert.throws(() => resolvePassword(null, join(dir, 'missing')), { code: 'SB_ERR_PASSWORD_FILE', message: /^cannot read --password-file .*missing: ENOENT$/ });
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\nsecret on line two\n');
    assert.throws(() => resolvePassword(null, empty), { code: 'SB_ERR_PASSWORD_FILE', message: /is empty: its first line is the password$/ });
  });
});
