import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberInfo, Transport } from '../../shared/events.js';
import { PRESENCE_MEMBERS_MAX, PRESENCE_NAMES_MAX, PresenceBatch } from './presence-batch.js';

/**
 * PresenceBatch on its own (issue 20, item 4): the exact text of single and batched join and
 * leave notices, the reasons, the cap on names and on member infos, and batches of leaves only.
 * The end-to-end side (windows, ordering against chat lines) is presence-batch.test.ts.
 */

function member(id: number, name = `m${id}`, transport: Transport = 'tcp'): MemberInfo {
  return { id, name, transport };
}

function leaves(count: number, reason?: (id: number) => string | undefined): PresenceBatch<string> {
  const batch = new PresenceBatch<string>();
  for (let id = 1; id <= count; id += 1) batch.leave(member(id), reason?.(id));
  return batch;
}

describe('PresenceBatch: joins', () => {
  it('a lone join names the member and its transport, carries it, and names it as the sole joiner', () => {
    const batch = new PresenceBatch<string>();
    assert.equal(batch.empty, true);
    batch.join('key-ada', () => member(1, 'ada', 'ws'));
    assert.equal(batch.empty, false);
    const { notices, soleJoiner } = batch.take();
    assert.deepEqual(notices, [{ kind: 'join', text: 'ada joined (ws)', member: member(1, 'ada', 'ws') }]);
    assert.equal(soleJoiner, 'key-ada');
    assert.equal(batch.empty, true);
  });

  it('reads the member info when taken, so a nick set meanwhile is the one announced', () => {
    const batch = new PresenceBatch<string>();
    let name = '127.0.0.1:5000';
    batch.join('k', () => member(1, name));
    name = 'ada';
    assert.equal(batch.take().notices[0]?.text, 'ada joined (tcp)');
  });

  it('several joins: one notice with how many, every name and transport, and no sole joiner', () => {
    const batch = new PresenceBatch<string>();
    batch.join('a', () => member(1, 'ada', 'tcp'));
    batch.join('b', () => member(2, 'bob', 'irc'));
    const { notices, soleJoiner } = batch.take();
    assert.deepEqual(notices, [{ kind: 'join', text: '2 members joined: ada (tcp), bob (irc)', members: [member(1, 'ada', 'tcp'), member(2, 'bob', 'irc')], count: 2 }]);
    assert.equal(soleJoiner, undefined);
  });

  it(`more than ${PRESENCE_NAMES_MAX} joins: the first ${PRESENCE_NAMES_MAX} named, then "and N more"`, () => {
    const batch = new PresenceBatch<number>();
    for (let id = 1; id <= PRESENCE_NAMES_MAX + 1; id += 1) batch.join(id, () => member(id));
    const [notice] = batch.take().notices;
    const names = Array.from({ length: PRESENCE_NAMES_MAX }, (_, i) => `m${i + 1} (tcp)`).join(', ');
    assert.equal(notice?.text, `${PRESENCE_NAMES_MAX + 1} members joined: ${names} and 1 more`);
    assert.equal(notice?.count, PRESENCE_NAMES_MAX + 1);
  });
});

describe('PresenceBatch: leaves', () => {
  it('a lone leave, with and without a reason', () => {
    const withReason = leaves(1, () => 'quit: bye');
    assert.deepEqual(withReason.take(), { notices: [{ kind: 'leave', text: 'm1 left (quit: bye)', member: member(1) }], soleJoiner: undefined });
    const without = leaves(1);
    assert.deepEqual(without.take().notices, [{ kind: 'leave', text: 'm1 left', member: member(1) }]);
  });

  it('several leaves: one notice naming each, with its reason where it has one', () => {
    const batch = leaves(3, (id) => (id === 2 ? undefined : `reason ${id}`));
    const { notices, soleJoiner } = batch.take();
    assert.deepEqual(notices, [{ kind: 'leave', text: '3 members left: m1 (reason 1), m2, m3 (reason 3)', members: [member(1), member(2), member(3)], count: 3 }]);
    assert.equal(soleJoiner, undefined);
    assert.equal(batch.empty, true);
  });

  it(`exactly ${PRESENCE_NAMES_MAX} leaves name all of them; one more says "and 1 more"`, () => {
    const names = Array.from({ length: PRESENCE_NAMES_MAX }, (_, i) => `m${i + 1}`).join(', ');
    assert.equal(leaves(PRESENCE_NAMES_MAX).take().notices[0]?.text, `${PRESENCE_NAMES_MAX} members left: ${names}`);
    assert.equal(leaves(PRESENCE_NAMES_MAX + 1).take().notices[0]?.text, `${PRESENCE_NAMES_MAX + 1} members left: ${names} and 1 more`);
  });

  it(`a big batch carries ${PRESENCE_MEMBERS_MAX} member infos and the count of all`, () => {
    const size = PRESENCE_MEMBERS_MAX + 5;
    const [notice] = leaves(size, () => 'timeout').take().notices;
    assert.equal(notice?.count, size);
    assert.deepEqual(notice?.members, Array.from({ length: PRESENCE_MEMBERS_MAX }, (_, i) => member(i + 1)));
    assert.match(notice?.text ?? '', new RegExp(`^${size} members left: m1 \\(timeout\\), .*m10 \\(timeout\\) and ${size - PRESENCE_NAMES_MAX} more$`));
  });

  it('a flush holding only leaves gives leave notices alone and no sole joiner', () => {
    const batch = leaves(2);
    const { notices, soleJoiner } = batch.take();
    assert.deepEqual(
      notices.map((notice) => notice.kind),
      ['leave'],
    );
    assert.equal(soleJoiner, undefined);
  });
});

describe('PresenceBatch: joins and leaves together', () => {
  it('joins come first, then leaves, and the batch is empty after', () => {
    const batch = new PresenceBatch<string>();
    batch.leave(member(9, 'old'), undefined);
    batch.join('new', () => member(1, 'new'));
    const first = batch.take();
    assert.deepEqual(
      first.notices.map((notice) => notice.text),
      ['new joined (tcp)', 'old left'],
    );
    assert.equal(first.soleJoiner, 'new');
    assert.deepEqual(batch.take(), { notices: [], soleJoiner: undefined });
  });

  it('clear drops what is pending, joins and leaves', () => {
    const batch = new PresenceBatch<string>();
    batch.join('a', () => member(1));
    batch.clear();
    assert.equal(batch.empty, true, 'no join left');
    batch.leave(member(2), 'x');
    batch.clear();
    assert.equal(batch.empty, true, 'no leave left');
    assert.deepEqual(batch.take().notices, []);
  });

  it('a leave alone makes the batch non-empty', () => {
    const batch = new PresenceBatch<string>();
    batch.leave(member(1), undefined);
    assert.equal(batch.empty, false);
  });
});
