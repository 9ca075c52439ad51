import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberInfo, Transport } from '../../shared/events.js';
import { MEMORY_DATA_DIR, SqliteHistory } from '../history/sqlite-history.js';
import { Session, type SessionConnection } from '../hub/session.js';
import { OutgoingMessage } from '../message/outgoing-message.js';
import { FakeTimers } from '../test-support/fake-timers.js';
import { Channel, type ChannelHost, type ChannelOptions } from './channel.js';
import { memberKey } from './room-moderation.js';

/**
 * One Channel driven directly, without the hub or sockets: a host that records every delivery
 * (the one write path) and every `said`, sessions over connections that record acknowledgements,
 * and the test's clock.
 */

class Host implements ChannelHost {
  readonly clock: () => number;
  readonly deliveries: { to: string; text: string }[] = [];
  readonly saidLog: { room: string; text: string; local: boolean }[] = [];
  constructor(readonly time: { now: number }) {
    this.clock = () => time.now;
  }
  deliver(session: Session, message: OutgoingMessage): void {
    this.deliveries.push({ to: session.name, text: message.text });
  }
  said(channel: Channel, message: OutgoingMessage, local: boolean): void {
    this.saidLog.push({ room: channel.name, text: message.text, local });
  }
  /** What `name` got, in order. */
  got(name: string): string[] {
    return this.deliveries.filter((delivery) => delivery.to === name).map((delivery) => delivery.text);
  }
}

function connection(address: string, transport: Transport, acknowledged: string[]): SessionConnection {
  return {
    transport,
    address,
    deliver: () => {},
    acknowledge: (message) => acknowledged.push(message.text),
    replay: () => {},
    pauseInput: () => {},
    resumeInput: () => {},
    close: () => {},
  };
}

let nextId = 1;

function session(nick: string, transport: Transport = 'line', acknowledged: string[] = []): Session {
  const id = nextId++;
  const made = new Session(id, connection(`10.0.0.${id}:1`, transport, acknowledged), 0);
  made.nick = nick;
  return made;
}

function channelWith(options: Partial<ChannelOptions> = {}): { channel: Channel; host: Host; time: { now: number } } {
  const time = { now: 1_000_000 };
  const host = new Host(time);
  const channel = new Channel({ room: { name: '#Ops', key: '#ops' }, topic: 'deploys', host, store: null, joinHistory: 0, presenceDelayMs: 0, noStoreEpoch: 'no-store', ...options });
  return { channel, host, time };
}

const remote = (id: number, name: string): MemberInfo => ({ id, name, transport: 'irc' });

function chat(channel: Channel, from: Session, text: string, id: number): OutgoingMessage {
  return new OutgoingMessage({ kind: 'chat', room: channel, id, time: 5, text, from: from.info() });
}

describe('Channel (driven directly, no hub, no sockets)', () => {
  it('counts and lists local members in join order (operators marked), then the other instances\', up to a limit', () => {
    const { channel } = channelWith({ moderation: { ops: [memberKey('alice')], bans: [], muted: [], topicLocked: false, moderated: false } });
    const alice = session('alice');
    const bob = session('bob', 'ws');
    channel.join(alice, undefined);
    channel.join(bob, undefined);
    channel.remote.joined(remote(900, 'carol'), 'other');
    channel.remote.joined(remote(901, 'dave'), 'other');
    assert.deepEqual(channel.info(), { name: '#Ops', count: 4, topic: 'deploys' });
    assert.deepEqual(channel.list(), [{ ...alice.info(), op: true }, bob.info(), remote(900, 'carol'), remote(901, 'dave')]);
    assert.deepEqual(channel.list(0), []);
    assert.deepEqual(channel.list(1), [{ ...alice.info(), op: true }]);
    assert.deepEqual(channel.list(2), [{ ...alice.info(), op: true }, bob.info()]);
    assert.deepEqual(channel.list(3), [{ ...alice.info(), op: true }, bob.info(), remote(900, 'carol')]);
    assert.equal(channel.list(4).length, 4);
  });

  it('adds its local members to counts by transport', () => {
    const { channel } = channelWith();
    channel.join(session('a', 'line'), undefined);
    channel.join(session('b', 'ws'), undefined);
    channel.join(session('c', 'ws'), undefined);
    channel.remote.joined(remote(902, 'r'), 'other');
    const counts: Record<Transport, number> = { tcp: 1, line: 1, ws: 1, irc: 1 };
    channel.countByTransport(counts);
    assert.deepEqual(counts, { tcp: 1, line: 2, ws: 3, irc: 1 }, 'remote members are counted by their own instance');
  });

  it('its history epoch is the store\'s, or without a store the random one it was given', () => {
    assert.equal(channelWith().channel.epoch, 'no-store');
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'all' } });
    assert.equal(channelWith({ store }).channel.epoch, store.epoch);
    store.close();
  });

  it('delivers a chat line to every member but its sender, acknowledges it to the sender, stores it unless its id is 0, and tells the host', () => {
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'all' } });
    const { channel, host } = channelWith({ store });
    const acknowledged: string[] = [];
    const alice = session('alice', 'line', acknowledged);
    const bob = session('bob');
    channel.join(alice, undefined);
    channel.join(bob, undefined);
    host.deliveries.length = 0;
    channel.deliverMessage(chat(channel, alice, 'stored', 7), alice);
    channel.deliverMessage(chat(channel, alice, 'unstored', 0), alice);
    channel.deliverMessage(chat(channel, alice, 'from afar', 8), undefined, false);
    assert.deepEqual(host.got('bob'), ['stored', 'unstored', 'from afar']);
    assert.deepEqual(host.got('alice'), ['from afar'], 'a line without a local sender goes to every local member');
    assert.deepEqual(acknowledged, ['stored', 'unstored']);
    assert.deepEqual(store.recent('#ops', 10).records.map((record) => [record.id, record.text]), [[7, 'stored'], [8, 'from afar']]);
    assert.deepEqual(host.saidLog, [
      { room: '#Ops', text: 'stored', local: true },
      { room: '#Ops', text: 'unstored', local: true },
      { room: '#Ops', text: 'from afar', local: false },
    ]);
    store.close();
  });

  it('a host without followers (no `said`) is not called for it', () => {
    const time = { now: 0 };
    const deliveries: string[] = [];
    const host: ChannelHost = { clock: () => time.now, deliver: (_session, message) => deliveries.push(message.text) };
    const channel = new Channel({ room: { name: '#a', key: '#a' }, topic: '', host, store: null, joinHistory: 0, presenceDelayMs: 0, noStoreEpoch: 'e' });
    const alice = session('alice');
    channel.join(alice, undefined);
    channel.join(session('bob'), undefined);
    channel.deliverMessage(chat(channel, alice, 'hi', 1), alice);
    assert.equal(deliveries.at(-1), 'hi');
  });

  it('remove: the notice goes to everyone here, the removed member too, then it is gone; a non-member is not announced', () => {
    const { channel, host, time } = channelWith();
    const alice = session('alice');
    const bob = session('bob');
    channel.join(alice, undefined);
    channel.join(bob, undefined);
    host.deliveries.length = 0;
    channel.remove(bob, channel.notice('leave', 'bob was kicked'));
    assert.deepEqual(host.deliveries, [
      { to: 'alice', text: 'bob was kicked' },
      { to: 'bob', text: 'bob was kicked' },
    ]);
    assert.deepEqual([...channel.members], [alice]);
    channel.remove(bob, channel.notice('leave', 'bob was kicked again'));
    assert.equal(host.deliveries.length, 2, 'not a member: nothing said');
    assert.equal(channel.emptySince, null);
    time.now += 5;
    channel.remove(alice, channel.notice('leave', 'alice was kicked'));
    assert.equal(channel.count, 0);
    assert.equal(channel.emptySince, time.now, 'the room is empty from now');
  });

  it('notes when it became empty, once: a later check keeps the first time; members present, it is not empty', () => {
    const { channel, time } = channelWith();
    const made = time.now;
    assert.equal(channel.emptySince, made, 'a new room is empty from its making');
    time.now += 10;
    channel.noteIfEmpty();
    assert.equal(channel.emptySince, made);
    const alice = session('alice');
    const bob = session('bob');
    channel.join(alice, undefined);
    channel.join(bob, undefined);
    assert.equal(channel.emptySince, null);
    channel.leave(alice, undefined);
    channel.noteIfEmpty();
    assert.equal(channel.emptySince, null, 'bob is still here');
    channel.leave(alice, undefined);
    assert.equal(channel.emptySince, null, 'a second leave of the same member changes nothing');
    channel.remote.joined(remote(903, 'carol'), 'other');
    time.now += 10;
    channel.leave(bob, 'bye');
    assert.equal(channel.emptySince, null, 'carol, on another instance, is still here');
    time.now += 10;
    channel.remote.left(903);
    assert.equal(channel.emptySince, time.now, 'the last member of another instance left: empty from its leave notice');
  });

  it('makes notices about itself, at the host\'s time, with what typed wires need', () => {
    const { channel, time } = channelWith();
    const setter: MemberInfo = { id: 1, name: 'alice', transport: 'ws' };
    const notice = channel.notice('topic', 'alice set the topic', { topic: 'new', setter });
    assert.equal(notice.kind, 'notice');
    assert.equal(notice.notice, 'topic');
    assert.equal(notice.room, channel);
    assert.equal(notice.time, time.now);
    assert.equal(notice.text, 'alice set the topic');
    assert.equal(notice.topic, 'new');
    assert.equal(notice.setter, setter);
  });
});

describe('Channel presence window (setTimeout faked on the host clock)', () => {
  it('stop drops the joins and leaves still in the window and cancels its timer', (t) => {
    const { channel, host, time } = channelWith({ presenceDelayMs: 1000 });
    const timers = new FakeTimers(time, t);
    const alice = session('alice');
    channel.join(alice, undefined);
    channel.join(session('bob'), undefined);
    assert.deepEqual(host.got('alice'), [], 'bob waits for the window');
    assert.equal(timers.size, 1);
    channel.stop();
    assert.equal(timers.size, 0);
    channel.announce(channel.notice('info', 'shutting down'));
    assert.deepEqual(host.got('alice'), ['shutting down']);
  });

  it('a big room\'s window is as long as its size asks (1 ms per 10 members), counting the other instances\' members', (t) => {
    const { channel, host, time } = channelWith({ presenceDelayMs: 1 });
    const timers = new FakeTimers(time, t);
    channel.join(session('alice'), undefined);
    for (let i = 0; i < 40; i += 1) channel.remote.joined(remote(1000 + i, `r${i}`), 'other');
    timers.advance(1);
    assert.deepEqual(host.got('alice'), ['40 members joined: r0 (irc), r1 (irc), r2 (irc), r3 (irc), r4 (irc), r5 (irc), r6 (irc), r7 (irc), r8 (irc), r9 (irc) and 30 more']);
    channel.remote.joined(remote(2000, 'late'), 'other');
    timers.advance(4);
    assert.equal(host.got('alice').length, 1, 'the next window is 4.1 ms: 41 members');
    timers.advance(0.5);
    assert.deepEqual(host.got('alice').at(-1), 'late joined (irc)');
  });
});
