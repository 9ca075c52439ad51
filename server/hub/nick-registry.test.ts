import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberInfo, Transport } from '../../shared/events.js';
import { nickKey, nickProblem } from '../../shared/nick.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import type { ClusterHealth, ClusterLink, NickClaim, RemoteSession } from './cluster-link.js';
import { type NickOutcome, type NickRefusal, NickRegistry } from './nick-registry.js';
import { Session, type SessionConnection } from './session.js';

/** A connection that is never written to: the registry only reads its address and transport. */
function connection(address: string, transport: Transport = 'line'): SessionConnection {
  return {
    address,
    transport,
    deliver: (_message: OutgoingMessage) => undefined,
    replay: () => undefined,
    pauseInput: () => undefined,
    resumeInput: () => undefined,
    close: () => undefined,
  };
}

type Event = { refused: [number, string, NickRefusal | null] } | { renamed: [number, string, string, string | null] } | { beforeRename: [number, string] };

/** The hub's side as a log of what the registry reported, in order; `reserve` answers `reserved`. */
function recording(reserve?: NickOutcome['reserved']): { outcome: NickOutcome; events: Event[] } {
  const events: Event[] = [];
  const outcome: NickOutcome = {
    beforeRename: (session) => void events.push({ beforeRename: [session.id, session.name] }),
    refused: (session, text, code) => void events.push({ refused: [session.id, text, code] }),
    renamed: (session, previous, key, previousKey) => void events.push({ renamed: [session.id, previous, key, previousKey] }),
  };
  if (reserve !== undefined) outcome.reserved = reserve;
  return { outcome, events };
}

/** The shared state of a scaled-out deployment, as a model: claims answered by the test, releases recorded. */
class FakeLink implements ClusterLink {
  readonly instance = 'test';
  up = true;
  readonly claims: { key: string; member: MemberInfo; answer: (claim: NickClaim) => void }[] = [];
  readonly releases: [string, number][] = [];
  readonly remotes = new Map<string, RemoteSession>();
  publish(): boolean {
    return false;
  }
  sendDirect(): Promise<boolean> {
    return Promise.resolve(false);
  }
  connected(): void {}
  renamed(): void {}
  disconnected(): void {}
  joinedRoom(): void {}
  partedRoom(): void {}
  topicChanged(): void {}
  moderationChanged(): void {}
  kickRemote(): void {}
  claimNick(key: string, member: MemberInfo): Promise<NickClaim> {
    return new Promise((resolve) => this.claims.push({ key, member, answer: resolve }));
  }
  releaseNick(key: string, member: MemberInfo): void {
    this.releases.push([key, member.id]);
  }
  remoteByNick(key: string): RemoteSession | undefined {
    return this.remotes.get(key);
  }
  health(): ClusterHealth {
    return { status: this.up ? 'up' : 'down', instance: this.instance, since: 0, reconnects: 0, remoteMembers: this.remotes.size };
  }
}

/** Lets the claim's `then` run (a resolved promise's callbacks are microtasks; setImmediate runs after them). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const TAKEN: NickRefusal = 'SB_ERR_NICK_TAKEN';

describe('NickRegistry', () => {
  /** An invalid name is refused with nick.ts's own reason, before anything else is asked. */
  it('refuses an invalid nickname with its problem and SB_ERR_NICK_INVALID', () => {
    const { outcome, events } = recording(() => assert.fail('not asked for an invalid name'));
    const registry = new NickRegistry(outcome);
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'a:b', null);
    assert.deepEqual(events, [{ refused: [1, `nickname refused: ${nickProblem('a:b')!}`, 'SB_ERR_NICK_INVALID'] }]);
    assert.equal(session.nick, null);
  });

  /** A name is applied as prepared (full-width folded), announced with the old name, and held under its key. */
  it('applies a free name at once without a link: beforeRename, then renamed with the previous name and keys', () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'ａｎｎ', null);
    assert.equal(session.nick, 'ann');
    registry.request(session, 'bob', null);
    assert.deepEqual(events, [
      { beforeRename: [1, '10.0.0.1:1'] },
      { renamed: [1, '10.0.0.1:1', nickKey('ann'), null] },
      { beforeRename: [1, 'ann'] },
      { renamed: [1, 'ann', nickKey('bob'), nickKey('ann')] },
    ]);
    assert.equal(registry.holder(nickKey('bob')), session);
    assert.equal(registry.holder(nickKey('ann')), undefined, 'the old name is free');
  });

  /** Asking for the name one already has (exactly) is a notice without a code; another case of it is a rename. */
  it('refuses the very same name without a code, but lets a member change the case of its own name', () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'ann', null);
    events.length = 0;
    registry.request(session, 'ann', null);
    assert.deepEqual(events, [{ refused: [1, 'you are already ann', null] }]);
    events.length = 0;
    registry.request(session, 'Ann', null);
    assert.equal(session.nick, 'Ann');
    assert.deepEqual(events.at(-1), { renamed: [1, 'ann', nickKey('Ann'), nickKey('ann')] });
    assert.equal(registry.holder(nickKey('ann')), session);
  });

  /** The accounts layer may reserve a name: its refusal is passed on as it is; a null lets the request go on. */
  it('passes on a reservation, and goes on when there is none', () => {
    const asked: [number, string, string][] = [];
    const { outcome, events } = recording((session, wanted, key) => {
      asked.push([session.id, wanted, key]);
      return wanted === 'owner' ? { text: 'owner is an account', code: 'SB_ERR_NICK_REGISTERED' } : null;
    });
    const registry = new NickRegistry(outcome);
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'owner', null);
    assert.deepEqual(events, [{ refused: [1, 'owner is an account', 'SB_ERR_NICK_REGISTERED'] }]);
    assert.equal(session.nick, null);
    registry.request(session, 'guest', null);
    assert.equal(session.nick, 'guest');
    assert.deepEqual(asked, [
      [1, 'owner', nickKey('owner')],
      [1, 'guest', nickKey('guest')],
    ]);
  });

  /** Names are compared by key: another spelling of a held name is taken; once released it is free. */
  it('refuses a name another local member holds, by any spelling, until that member releases it', () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const ann = new Session(1, connection('10.0.0.1:1'), 0);
    const other = new Session(2, connection('10.0.0.2:2'), 0);
    registry.request(ann, 'ann', null);
    events.length = 0;
    registry.request(other, 'ANN', null);
    assert.deepEqual(events, [{ refused: [2, 'nickname refused: ANN is taken', TAKEN] }]);
    assert.equal(other.nick, null);
    assert.equal(registry.release(ann), nickKey('ann'));
    assert.equal(registry.holder(nickKey('ann')), undefined);
    registry.request(other, 'ANN', null);
    assert.equal(other.nick, 'ANN');
  });

  /** Release frees only a name the registry gave this session; a session without a name has none to free. */
  it('releases nothing for an unnamed session, and never another holder of the same key', () => {
    const { outcome } = recording();
    const registry = new NickRegistry(outcome);
    const unnamed = new Session(1, connection('10.0.0.1:1'), 0);
    assert.equal(registry.release(unnamed), null);
    const holder = new Session(2, connection('10.0.0.2:2'), 0);
    registry.request(holder, 'ann', null);
    const stale = new Session(3, connection('10.0.0.3:3'), 0);
    stale.nick = 'Ann';
    assert.equal(registry.release(stale), nickKey('ann'));
    assert.equal(registry.holder(nickKey('ann')), holder);
  });

  it('forgets every name on clear()', () => {
    const { outcome } = recording();
    const registry = new NickRegistry(outcome);
    const ann = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(ann, 'ann', null);
    registry.clear();
    assert.equal(registry.holder(nickKey('ann')), undefined);
    const other = new Session(2, connection('10.0.0.2:2'), 0);
    registry.request(other, 'ann', null);
    assert.equal(other.nick, 'ann');
  });

  /** A member of another instance holding the name makes it taken; the same member id (itself, seen remotely) does not. */
  it('refuses a name a remote member holds, but not one the link attributes to the same member', () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const link = new FakeLink();
    link.up = false;
    link.remotes.set(nickKey('ann'), { info: { id: 9, name: 'ann', transport: 'ws' }, instance: 'other', rooms: [] });
    link.remotes.set(nickKey('me'), { info: { id: 1, name: 'me', transport: 'line' }, instance: 'other', rooms: [] });
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'Ann', link);
    assert.deepEqual(events, [{ refused: [1, 'nickname refused: Ann is taken', TAKEN] }]);
    registry.request(session, 'me', link);
    assert.equal(session.nick, 'me');
    assert.equal(link.claims.length, 0, 'a link that is down is not asked');
  });

  /** With the link up the name is applied only once the shared state grants it (or cannot answer). */
  it('waits for the link to grant a claim, and applies on granted or unknown', async () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const link = new FakeLink();
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'ann', link);
    assert.deepEqual(events, []);
    assert.equal(session.nick, null);
    assert.deepEqual(link.claims.map((claim) => [claim.key, claim.member]), [[nickKey('ann'), { id: 1, name: '10.0.0.1:1', transport: 'line' }]]);
    link.claims[0]!.answer('granted');
    await settle();
    assert.equal(session.nick, 'ann');
    assert.equal(registry.holder(nickKey('ann')), session);
    registry.request(session, 'bob', link);
    link.claims[1]!.answer('unknown');
    await settle();
    assert.equal(session.nick, 'bob');
    assert.deepEqual(link.releases, []);
    assert.equal(events.filter((event) => 'refused' in event).length, 0);
  });

  /** The shared state says another instance has it: refused, and there is no claim to give back. */
  it('refuses a name the link says is taken, without releasing it', async () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const link = new FakeLink();
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'ann', link);
    link.claims[0]!.answer('taken');
    await settle();
    assert.equal(session.nick, null);
    assert.deepEqual(events, [{ refused: [1, 'nickname refused: ann is taken', TAKEN] }]);
    assert.deepEqual(link.releases, []);
  });

  /** A local member took the name while the claim was out: the granted claim is given back and the asker refused. */
  it('gives back a granted claim lost to a local race, and refuses the asker', async () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const link = new FakeLink();
    const slow = new Session(1, connection('10.0.0.1:1'), 0);
    const fast = new Session(2, connection('10.0.0.2:2'), 0);
    registry.request(slow, 'ann', link);
    registry.request(fast, 'ann', null);
    link.claims[0]!.answer('granted');
    await settle();
    assert.equal(slow.nick, null);
    assert.equal(registry.holder(nickKey('ann')), fast);
    assert.deepEqual(link.releases, [[nickKey('ann'), 1]]);
    assert.deepEqual(events.at(-1), { refused: [1, 'nickname refused: ann is taken', TAKEN] });
  });

  /** A member that left while its claim was out gets nothing; a granted claim is given back, an unknown one is not. */
  it('drops the claim of a member that left meanwhile, releasing it only if it was granted', async () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const link = new FakeLink();
    const gone = new Session(1, connection('10.0.0.1:1'), 0);
    const alsoGone = new Session(2, connection('10.0.0.2:2'), 0);
    registry.request(gone, 'ann', link);
    registry.request(alsoGone, 'bob', link);
    gone.present = false;
    alsoGone.present = false;
    link.claims[0]!.answer('granted');
    link.claims[1]!.answer('unknown');
    await settle();
    assert.deepEqual(events, []);
    assert.equal(gone.nick, null);
    assert.equal(alsoGone.nick, null);
    assert.equal(registry.holder(nickKey('ann')), undefined);
    assert.deepEqual(link.releases, [[nickKey('ann'), 1]]);
  });

  /** A remote member that took the name while the claim was out (seen through the link) also loses the race for the asker. */
  it('refuses when a remote member appears with the name before the claim is answered', async () => {
    const { outcome, events } = recording();
    const registry = new NickRegistry(outcome);
    const link = new FakeLink();
    const session = new Session(1, connection('10.0.0.1:1'), 0);
    registry.request(session, 'ann', link);
    link.remotes.set(nickKey('ann'), { info: { id: 5, name: 'ann', transport: 'irc' }, instance: 'other', rooms: [] });
    link.claims[0]!.answer('unknown');
    await settle();
    assert.equal(session.nick, null);
    assert.deepEqual(events, [{ refused: [1, 'nickname refused: ann is taken', TAKEN] }]);
    assert.deepEqual(link.releases, []);
  });
});
