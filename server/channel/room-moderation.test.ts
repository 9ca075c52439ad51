import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nickKey } from '../../shared/nick.js';
import { RoomModeration, banIdentity, banMask, maskKey, memberKey, parseDuration } from './room-moderation.js';
import { parseModerationState } from '../history/moderation-record.js';

describe('room moderation', () => {
  it('files members by their nick key, from a cache that stays right when it starts over', () => {
    for (const name of ['Alice', 'аlice', 'ALİCE', '127.0.0.1:5000']) assert.equal(memberKey(name), nickKey(name), name);
    for (let i = 0; i < 20_050; i += 1) memberKey(`guest${i}`);
    assert.equal(memberKey('аlice'), nickKey('alice'), 'a Cyrillic а is still alice after the cache was cleared');
    const room = new RoomModeration();
    assert.ok(!room.isMuted('Alice'), 'no mutes');
    room.muted.add(memberKey('Alice'));
    assert.ok(room.isMuted('ALICE'));
    assert.ok(!room.isMuted('bob'));
  });

  it('turns /ban arguments into masks as written (lowercased), a mask with its missing parts as *', () => {
    assert.equal(banMask('Dan'), 'dan!*@*');
    // Not its nick key ("lrssluser"): what the operator typed is what lists and MODE lines show.
    assert.equal(banMask('IrssiUser'), 'irssiuser!*@*');
    assert.equal(banMask('*!*@203.0.113.7'), '*!*@203.0.113.7');
    assert.equal(banMask('@10.0.0.*'), '*!*@10.0.0.*');
    assert.equal(banMask('eve!line'), 'eve!line@*');
    assert.equal(banMask('ev?'), 'ev?!*@*');
  });

  it('matches bans against nick!transport@ip, look-alikes of a banned nick too, until they end', () => {
    const moderation = new RoomModeration();
    moderation.ban({ mask: banMask('dan'), until: 1000, by: 'op' });
    moderation.ban({ mask: banMask('*!line@*'), until: null, by: 'op' });
    assert.ok(moderation.banFor(banIdentity('DAN', 'tcp', '10.0.0.1'), 0));
    assert.ok(moderation.banFor(banIdentity('anyone', 'line', '10.0.0.2'), 0));
    assert.equal(moderation.banFor(banIdentity('ann', 'ws', '10.0.0.3'), 0), undefined);
    assert.equal(moderation.banFor(banIdentity('dan', 'tcp', '10.0.0.1'), 1000), undefined, 'the timed ban ended');
    assert.deepEqual(moderation.activeBans(1000).map((ban) => ban.mask), ['*!line@*']);
    assert.equal(moderation.unban('*!line@*'), true);
    assert.equal(moderation.unban('*!line@*'), false);
  });

  it('matches and lifts a ban by its nick key: look-alikes, and masks stored as keys by an older version', () => {
    const moderation = new RoomModeration();
    moderation.ban({ mask: banMask('irssiuser'), until: null, by: 'op' });
    assert.ok(moderation.banFor(banIdentity('IRSSIUSER', 'irc', '10.0.0.1'), 0));
    assert.ok(moderation.banFor(banIdentity('\u0456rssiuser', 'irc', '10.0.0.1'), 0), 'a Cyrillic і in place of the i');
    assert.equal(moderation.banFor(banIdentity('irssi', 'irc', '10.0.0.1'), 0), undefined);
    moderation.ban({ mask: banMask('IRSSIUSER'), until: 5000, by: 'other' });
    assert.deepEqual(moderation.activeBans(0).map((ban) => `${ban.mask} ${ban.by}`), ['irssiuser!*@* other'], 'the same ban again replaces it');
    const older = new RoomModeration({ ops: [], bans: [{ mask: `${nickKey('irssiuser')}!*@*`, until: null, by: 'op' }], muted: [], topicLocked: false, moderated: false });
    assert.ok(older.banFor(banIdentity('irssiuser', 'irc', '10.0.0.1'), 0), 'a stored key mask still matches');
    assert.equal(older.unban(banMask('irssiuser')), true, '/unban with the name lifts it');
    assert.equal(older.activeBans(0).length, 0);
    // Wildcards in the nick part are matched against keys too.
    const wild = new RoomModeration();
    wild.ban({ mask: banMask('irssi*'), until: null, by: 'op' });
    assert.ok(wild.banFor(banIdentity('IrssiFan', 'ws', '10.0.0.9'), 0));
  });

  it('reads durations, and stored state back (a damaged row is none)', () => {
    assert.deepEqual(['30s', '10m', '2h', '1d', '10', 'x', '5w'].map(parseDuration), [30_000, 600_000, 7_200_000, 86_400_000, null, null, null]);
    const moderation = new RoomModeration({ ops: ['ann'], bans: [], muted: ['ben'], topicLocked: true, moderated: false });
    assert.equal(moderation.modeString(), '+nt');
    assert.deepEqual(parseModerationState(JSON.stringify(moderation.state())), moderation.state());
    assert.equal(parseModerationState('{not json'), undefined);
    assert.deepEqual(parseModerationState('{"ops": [1, "x"], "bans": [{"mask": 3}]}'), { ops: ['x'], bans: [], muted: [], topicLocked: false, moderated: false });
  });
});

describe('room moderation at its edges', () => {
  it('fills an empty nick, user or host of a mask with *, folds case, and matches look-alikes by the mask key', () => {
    assert.equal(banMask('dan!'), 'dan!*@*');
    assert.equal(banMask('dan@'), 'dan!*@*');
    assert.equal(banMask('!line@10.0.0.1'), '*!line@10.0.0.1');
    assert.equal(banMask('Dan!TCP@Host.Example'), 'dan!tcp@host.example');
    assert.equal(banMask('D\u0430n!*@*'), 'd\u0430n!*@*', 'kept as written: a Cyrillic а in the nick of a mask');
    assert.equal(maskKey(banMask('D\u0430n!*@*')), 'dan!*@*', 'and matched as dan');
    assert.equal(banMask('D*N'), 'd*n!*@*');
    assert.equal(banMask('D?n!*@*'), 'd?n!*@*');
    assert.equal(banMask('a@b@c'), 'a@b!*@c', 'the host is after the last @');
  });

  it('matches * as anything, ? as one character, and everything else literally', () => {
    const moderation = new RoomModeration();
    moderation.ban({ mask: '*!*@10.0.0.1', until: null, by: 'op' });
    moderation.ban({ mask: 'e?e!*@*', until: null, by: 'op' });
    assert.ok(moderation.banFor('x!tcp@10.0.0.1', 0));
    assert.equal(moderation.banFor('x!tcp@10x0y0z1', 0), undefined, 'a dot is a dot');
    assert.equal(moderation.banFor('x!tcp@10.0.0.12', 0), undefined, 'anchored at the end');
    assert.ok(moderation.banFor('eve!ws@1.2.3.4', 0));
    assert.equal(moderation.banFor('ee!ws@1.2.3.4', 0), undefined, '? is exactly one character');
  });

  it('a ban of a mask already banned replaces it', () => {
    const moderation = new RoomModeration();
    moderation.ban({ mask: 'dan!*@*', until: 1000, by: 'op' });
    moderation.ban({ mask: 'eve!*@*', until: null, by: 'op' });
    moderation.ban({ mask: 'dan!*@*', until: null, by: 'op2' });
    assert.deepEqual(
      moderation.bans.map((ban) => [ban.mask, ban.until, ban.by]),
      [
        ['eve!*@*', null, 'op'],
        ['dan!*@*', null, 'op2'],
      ],
    );
    assert.ok(moderation.banFor('dan!tcp@1.2.3.4', 5000), 'the newer, endless ban holds');
  });

  it('durations: case-insensitive units, at most six digits', () => {
    assert.deepEqual(['2H', '0s', '999999s', '1000000s', ' 1m', '1m '].map(parseDuration), [7_200_000, 0, 999_999_000, null, null, null]);
  });

  it('operators by nick key; modes; an empty state; state() is a copy', () => {
    const empty = new RoomModeration();
    assert.deepEqual(empty.state(), { ops: [], bans: [], muted: [], topicLocked: false, moderated: false });
    assert.equal(empty.isOp('ann'), false);
    assert.equal(empty.modeString(), '+n');
    const moderation = new RoomModeration({ ops: [memberKey('Ann')], bans: [], muted: [], topicLocked: false, moderated: true });
    assert.equal(moderation.isOp('ANN'), true);
    assert.equal(moderation.isOp('ben'), false);
    assert.equal(moderation.modeString(), '+nm');
    moderation.topicLocked = true;
    assert.equal(moderation.modeString(), '+ntm');
    const state = moderation.state();
    state.ops.push('ben');
    assert.equal(moderation.isOp('ben'), false);
  });

  it('starts from stored state: its operators, mutes and bans hold, and state() gives them back', () => {
    const ban = { mask: 'dan!*@*', until: null, by: 'op' };
    const moderation = new RoomModeration({ ops: ['ann'], bans: [ban], muted: ['ben'], topicLocked: false, moderated: false });
    assert.equal(moderation.isMuted('Ben'), true);
    assert.ok(moderation.banFor('dan!tcp@1.2.3.4', 0));
    assert.deepEqual(moderation.state(), { ops: ['ann'], bans: [ban], muted: ['ben'], topicLocked: false, moderated: false });
  });

  it('unban lifts that mask only', () => {
    const moderation = new RoomModeration();
    moderation.ban({ mask: 'dan!*@*', until: null, by: 'op' });
    moderation.ban({ mask: 'eve!*@*', until: null, by: 'op' });
    assert.equal(moderation.unban('dan!*@*'), true);
    assert.deepEqual(
      moderation.bans.map((ban) => ban.mask),
      ['eve!*@*'],
    );
  });

  it('a plain nick given to /ban is kept as written and matched by its nick key, look-alikes folded', () => {
    assert.equal(banMask('D\u0430n'), 'd\u0430n!*@*');
    assert.equal(maskKey(banMask('D\u0430n')), 'dan!*@*');
    assert.equal(maskKey('*!line@*'), '*!line@*', 'a * nick part stays');
  });

  it('keys a mask without a ! (a stored bare nick) as that whole nick', () => {
    assert.equal(maskKey('D\u0430n'), 'dan');
    assert.equal(maskKey('ada'), 'ada');
  });

  it('replace() takes another instance\'s state whole: what it had before is gone', () => {
    const moderation = new RoomModeration({ ops: ['old-op'], bans: [{ mask: 'old!*@*', until: null, by: 'x' }], muted: ['old-mute'], topicLocked: false, moderated: false });
    const ban = { mask: 'eve!*@*', until: null, by: 'ann' };
    const sent = { ops: ['ann'], bans: [ban], muted: ['ben'], topicLocked: true, moderated: true };
    moderation.replace(sent);
    assert.deepEqual(moderation.state(), { ops: ['ann'], bans: [ban], muted: ['ben'], topicLocked: true, moderated: true });
    assert.ok(moderation.isOp('Ann') && !moderation.isOp('old-op'));
    assert.ok(moderation.isMuted('ben') && !moderation.isMuted('old-mute'));
    assert.equal(moderation.banFor('eve!line@127.0.0.1', 0)?.by, 'ann');
    moderation.replace({ ops: [], bans: [], muted: [], topicLocked: false, moderated: false });
    assert.deepEqual(moderation.state(), { ops: [], bans: [], muted: [], topicLocked: false, moderated: false });
    assert.equal(moderation.modeString(), '+n');
  });
});

