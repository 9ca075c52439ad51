import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryAccounts } from '../history/account-table.js';
import { until } from '../test-support/until.js';
import { Accounts, accountPasswordProblem } from './accounts.js';
import { HasherBusyError, PasswordHasher, parseHash } from './password-hash.js';

/** Cheap parameters: these tests are about the format and the rules, not the cost. */
const FAST = { logN: 10, r: 8, p: 1 };

describe('PasswordHasher (scrypt)', () => {
  it('writes the PHC form with its parameters and a random salt, and verifies only the right password', async () => {
    const hasher = new PasswordHasher(FAST);
    const [first, second] = await Promise.all([hasher.hash('correct horse'), hasher.hash('correct horse')]);
    assert.match(first, /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(first, second, 'a salt per hash');
    assert.equal(await hasher.verify('correct horse', first), true);
    assert.equal(await hasher.verify('correct horsf', first), false);
    assert.equal(await hasher.verify('correct horse', 'not a hash'), false);
    // NFC: é composed and decomposed is one password.
    const accented = await hasher.hash('caf\u00e9 au lait');
    assert.equal(await hasher.verify('cafe\u0301 au lait', accented), true);
  });

  it('reads the parameters back, so a hash made with others still verifies and is known as outdated', async () => {
    const old = new PasswordHasher({ logN: 9, r: 8, p: 1 });
    const stored = await old.hash('correct horse');
    assert.deepEqual(parseHash(stored)?.params, { logN: 9, r: 8, p: 1 });
    const today = new PasswordHasher(FAST);
    assert.equal(today.outdated(stored), true);
    assert.equal(await today.verify('correct horse', stored), true);
  });

  it('runs at most `concurrency` hashes, queues at most `queue`, and refuses the rest at once', async () => {
    const hasher = new PasswordHasher(FAST, 1, 2);
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => hasher.hash(`password ${i}`)));
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected'],
    );
    const refused = results[3];
    assert.ok(refused?.status === 'rejected' && refused.reason instanceof HasherBusyError);
    assert.match(await hasher.hash('after the storm'), /^\$scrypt\$/, 'the turns were given back');
  });
});

describe('Accounts', () => {
  const now = (): number => 1_000_000;

  it('password limits: 8 to 256 bytes of UTF-8', () => {
    assert.match(accountPasswordProblem('1234567') ?? '', /at least 8 bytes/);
    assert.equal(accountPasswordProblem('12345678'), null);
    assert.equal(accountPasswordProblem('é'.repeat(128)), null, '256 bytes');
    assert.match(accountPasswordProblem('é'.repeat(129)) ?? '', /at most 256 bytes/);
  });

  it('registers once per key, logs in with the right password only, and redoes an outdated hash at login', async () => {
    const store = new MemoryAccounts();
    const accounts = new Accounts(store, new PasswordHasher({ logN: 9, r: 8, p: 1 }));
    assert.equal((await accounts.register('ada', 'ada', 'correct horse', now)).outcome, 'ok');
    assert.equal((await accounts.register('ada', 'ADA', 'another one', now)).outcome, 'exists');
    assert.equal((await accounts.login('ada', 'wrong password', '192.0.2.1', now)).outcome, 'wrong');
    assert.equal((await accounts.login('nobody', 'correct horse', '192.0.2.1', now)).outcome, 'wrong');

    const raised = new Accounts(store, new PasswordHasher(FAST));
    const before = store.find('ada')?.hash;
    assert.equal((await raised.login('ada', 'correct horse', '192.0.2.2', now)).outcome, 'ok');
    // The rehash runs after the answer: wait for the stored hash to change.
    await until(() => store.find('ada')?.hash !== before, 'the hash was redone');
    assert.match(store.find('ada')?.hash ?? '', /^\$scrypt\$ln=10,/);
    assert.equal((await raised.login('ada', 'correct horse', '192.0.2.2', now)).outcome, 'ok');
  });

  it('locks an address out after the burst of failures, without checking, and leaves other addresses alone', async () => {
    const accounts = new Accounts(new MemoryAccounts(), new PasswordHasher(FAST), { failureBurst: 2, failureRefillMs: 60_000 });
    await accounts.register('ada', 'ada', 'correct horse', now);
    for (let i = 0; i < 2; i += 1) assert.equal((await accounts.login('ada', `guess ${i} guess`, '192.0.2.9', now)).outcome, 'wrong');
    const locked = await accounts.login('ada', 'correct horse', '192.0.2.9', now);
    assert.equal(locked.outcome, 'locked');
    assert.equal((await accounts.login('ada', 'correct horse', '192.0.2.10', now)).outcome, 'ok');
  });
});
