import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomKey } from '../../shared/room-name.js';
import type { ChannelHost } from '../channel/channel.js';
import type { HistoryRecord, HistorySlice, HistoryStore, HistoryWindow, StoredRoom } from '../history/history-store.js';
import type { ModerationState } from '../history/moderation-record.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { type RoomRegistryOptions, RoomRegistry } from './room-registry.js';
import { Session, type SessionConnection } from './session.js';

/** A store that keeps only rooms (no messages): what the registry reads and writes of it. */
class RoomStore implements HistoryStore {
  readonly epoch = 'store-epoch';
  readonly lastId = 0;
  readonly rooms = new Map<string, StoredRoom>();
  readonly saved: StoredRoom[] = [];
  append(_room: string, _record: HistoryRecord): void {}
  commit(): void {}
  recent(): HistorySlice {
    return { records: [], more: false };
  }
  before(): HistorySlice {
    return { records: [], more: false };
  }
  after(): HistoryRecord[] {
    return [];
  }
  recentWindow(): HistoryWindow {
    return { after: 0, count: 0, more: false };
  }
  countAfter(): number {
    return 0;
  }
  room(key: string): StoredRoom | undefined {
    return this.rooms.get(key);
  }
  saveRoom(room: StoredRoom): void {
    this.saved.push(room);
    this.rooms.set(room.key, room);
  }
  prune(): number {
    return 0;
  }
  close(): void {}
}

/** A store that also keeps each room's moderation (the optional part of HistoryStore). */
class ModerationStore extends RoomStore {
  readonly states = new Map<string, ModerationState>();
  readonly savedStates: [string, ModerationState][] = [];
  moderation(key: string): ModerationState | undefined {
    return this.states.get(key);
  }
  saveModeration(key: string, state: ModerationState): void {
    this.savedStates.push([key, state]);
  }
}

/** The hub's side of a channel: a set clock, and deliveries recorded as `session id: text`. */
function host(): { host: ChannelHost; clock: { now: number }; delivered: string[] } {
  const clock = { now: 1_000 };
  const delivered: string[] = [];
  return { host: { clock: () => clock.now, deliver: (session: Session, message: OutgoingMessage) => void delivered.push(`${session.id}: ${message.text}`) }, clock, delivered };
}

function registry(overrides: Partial<RoomRegistryOptions> = {}): { rooms: RoomRegistry; clock: { now: number }; delivered: string[] } {
  const made = host();
  const rooms = new RoomRegistry({ host: made.host, store: null, joinHistory: 0, presenceDelayMs: 0, maxRooms: 10, emptyRoomTtlMs: 60_000, defaultRoom: '#lobby', ...overrides });
  return { rooms, clock: made.clock, delivered: made.delivered };
}

function member(id: number, nick: string): Session {
  const connection: SessionConnection = {
    address: `10.0.0.${id}:${id}`,
    transport: 'line',
    deliver: () => undefined,
    replay: () => undefined,
    pauseInput: () => undefined,
    resumeInput: () => undefined,
    close: () => undefined,
  };
  const session = new Session(id, connection, 0);
  session.nick = nick;
  return session;
}

function channelOf(rooms: RoomRegistry, name: string): NonNullable<ReturnType<RoomRegistry['find']>> {
  const made = rooms.open(name);
  assert.ok('channel' in made, 'refusal' in made ? made.refusal : '');
  return made.channel;
}

describe('RoomRegistry', () => {
  /** The default room exists from the start; rooms are found by any spelling and made once. */
  it('holds the default room from the start, finds rooms by any spelling, and makes each once', () => {
    const { rooms } = registry();
    assert.equal(rooms.size, 1);
    assert.equal(rooms.defaultRoom.name, '#lobby');
    assert.equal(rooms.find('LOBBY'), rooms.defaultRoom);
    assert.equal(rooms.find('#dev'), undefined);
    const made = rooms.open('dev');
    assert.ok('channel' in made);
    assert.equal(made.created, true);
    assert.equal(made.channel.name, '#dev');
    assert.deepEqual(rooms.open('#DEV'), { channel: made.channel, created: false });
    assert.equal(rooms.find('#Dev'), made.channel);
    assert.deepEqual([...rooms.values()], [rooms.defaultRoom, made.channel]);
    assert.equal(rooms.size, 2);
  });

  /** A name that is not a room name is refused, and a bad `--default-room` stops the server from starting. */
  it('refuses a name that is not a room name, and throws for a bad default room', () => {
    const { rooms } = registry();
    assert.deepEqual(rooms.open('a b'), { refusal: 'a b is not a room name: a room name has only letters, digits, -, _ and .' });
    assert.equal(rooms.size, 1);
    assert.throws(() => registry({ defaultRoom: 'no room!' }), { message: '--default-room: no room! is not a room name: a room name has only letters, digits, -, _ and .' });
  });

  /** `--max-rooms` counts the default room; a room already held is still found at the limit. */
  it('refuses a new room once it holds --max-rooms, but still opens the ones it holds', () => {
    const { rooms } = registry({ maxRooms: 3 });
    channelOf(rooms, '#a');
    const b = channelOf(rooms, '#b');
    assert.equal(rooms.size, 3);
    assert.deepEqual(rooms.open('#c'), { refusal: 'the server holds 3 rooms, its limit; join one of them (/rooms)' });
    assert.equal(rooms.size, 3);
    assert.deepEqual(rooms.open('#b'), { channel: b, created: false });
  });

  /** Without a store every room shares one random epoch, so no resume from another run ever matches. */
  it('gives the rooms of a registry without a store one random epoch of its own', () => {
    const first = registry().rooms;
    const second = registry().rooms;
    assert.match(first.defaultRoom.epoch, /^none-[0-9a-z]+$/);
    assert.equal(channelOf(first, '#dev').epoch, first.defaultRoom.epoch);
    assert.notEqual(second.defaultRoom.epoch, first.defaultRoom.epoch);
  });

  /** A room the store knows comes back with its stored name and topic (not created); a new one is saved, topic empty. */
  it('brings a stored room back as it was, and saves a new one', () => {
    const store = new RoomStore();
    store.rooms.set(roomKey('#dev'), { key: roomKey('#dev'), name: '#Dev', topic: 'shipping' });
    const { rooms } = registry({ store });
    assert.deepEqual(store.saved, [{ key: roomKey('#lobby'), name: '#lobby', topic: '' }]);
    const known = rooms.open('#DEV');
    assert.ok('channel' in known);
    assert.equal(known.created, false);
    assert.deepEqual(known.channel.info(), { name: '#Dev', count: 0, topic: 'shipping' });
    assert.equal(known.channel.epoch, 'store-epoch');
    assert.equal(store.saved.length, 1, 'a stored room is not saved again');
    const fresh = rooms.open('#new');
    assert.ok('channel' in fresh);
    assert.equal(fresh.created, true);
    assert.deepEqual(store.saved.at(-1), { key: roomKey('#new'), name: '#new', topic: '' });
    fresh.channel.topic = 'hello';
    rooms.remember(fresh.channel);
    assert.deepEqual(store.saved.at(-1), { key: roomKey('#new'), name: '#new', topic: 'hello' });
  });

  /** A store without moderation support is fine; one with it restores a room's operators and keeps changes. */
  it('restores and remembers moderation when the store keeps it, and does without otherwise', () => {
    const plain = registry({ store: new RoomStore() }).rooms;
    const dev = channelOf(plain, '#dev');
    assert.equal(dev.moderation.isOp('ann'), false);
    plain.rememberModeration(dev);
    const store = new ModerationStore();
    const state: ModerationState = { ops: ['ann'], bans: [], muted: [], topicLocked: true, moderated: false };
    store.states.set(roomKey('#dev'), state);
    const rooms = registry({ store }).rooms;
    const restored = channelOf(rooms, '#dev');
    assert.equal(restored.moderation.isOp('Ann'), true);
    assert.equal(store.savedStates.length, 0);
    rooms.rememberModeration(restored);
    assert.deepEqual(store.savedStates, [[roomKey('#dev'), restored.moderation.state()]]);
    assert.equal(restored.moderation.state().topicLocked, true);
  });

  /** `/rooms`: busiest first, ties by name, at most `limit`. */
  it('lists rooms busiest first, ties by name, up to the limit', () => {
    const { rooms } = registry();
    const zed = channelOf(rooms, '#zed');
    channelOf(rooms, '#beta');
    channelOf(rooms, '#alpha');
    zed.join(member(1, 'ann'), undefined);
    zed.join(member(2, 'bob'), undefined);
    rooms.defaultRoom.join(member(3, 'cy'), undefined);
    assert.deepEqual(
      rooms.list(10).map((room) => [room.name, room.count]),
      [
        ['#zed', 2],
        ['#lobby', 1],
        ['#alpha', 0],
        ['#beta', 0],
      ],
    );
    assert.deepEqual(
      rooms.list(2).map((room) => room.name),
      ['#zed', '#lobby'],
    );
  });

  /** Sweeping forgets rooms empty for the whole TTL (not a millisecond less), never the default room nor a room with anyone in it. */
  it('forgets rooms empty for --empty-room-ttl, keeping the default room and rooms with members here or elsewhere', () => {
    const { rooms, clock } = registry({ emptyRoomTtlMs: 60_000 });
    const idle = channelOf(rooms, '#idle');
    const busy = channelOf(rooms, '#busy');
    busy.join(member(1, 'ann'), undefined);
    const shared = channelOf(rooms, '#shared');
    shared.remote.joined({ id: 50, name: 'far', transport: 'ws' }, 'other');
    assert.equal(rooms.sweep(clock.now + 59_999), 0);
    assert.equal(rooms.size, 4);
    assert.equal(rooms.sweep(clock.now + 60_000), 1);
    assert.equal(rooms.find('#idle'), undefined);
    assert.equal(rooms.find('#busy'), busy);
    assert.equal(rooms.find('#shared'), shared);
    assert.equal(rooms.find('#lobby'), rooms.defaultRoom);
    assert.equal(rooms.size, 3);
    const again = channelOf(rooms, '#idle');
    assert.notEqual(again, idle, 'joining a forgotten room makes it anew');
  });

  /** A room whose last member (of another instance) left within the presence window is not empty yet until it is announced. */
  it('keeps a room whose last leave is still in the presence window', () => {
    const { rooms, clock } = registry({ presenceDelayMs: 60_000 });
    const room = channelOf(rooms, '#dev');
    const ann = member(1, 'ann');
    room.join(ann, undefined);
    room.remote.joined({ id: 50, name: 'far', transport: 'ws' }, 'other');
    room.leave(ann, undefined);
    room.remote.left(50);
    assert.equal(room.count, 0);
    assert.equal(room.emptySince, null);
    assert.equal(rooms.sweep(clock.now + 10 * 60_000), 0);
    assert.equal(rooms.find('#dev'), room);
    rooms.stop();
  });

  /** A forgotten room, and every room on stop(), announces nothing still pending in its presence window. */
  it('stops the presence of a forgotten room and of every room on stop()', () => {
    const { rooms, clock, delivered } = registry({ presenceDelayMs: 60_000 });
    const room = channelOf(rooms, '#dev');
    room.join(member(1, 'ann'), undefined);
    room.join(member(2, 'bob'), undefined);
    rooms.defaultRoom.join(member(3, 'cy'), undefined);
    rooms.defaultRoom.join(member(4, 'dee'), undefined);
    rooms.stop();
    room.flushPresence();
    rooms.defaultRoom.flushPresence();
    assert.deepEqual(delivered, [], 'the second joins of each room were pending, and stop() dropped them');
    const gone = channelOf(rooms, '#gone');
    const eve = member(5, 'eve');
    const fay = member(6, 'fay');
    gone.join(eve, undefined);
    gone.join(fay, undefined);
    gone.leave(fay, undefined);
    gone.leave(eve, 'bye');
    assert.equal(rooms.sweep(clock.now + 60_000), 1);
    gone.join(member(7, 'gus'), undefined);
    gone.flushPresence();
    assert.deepEqual(delivered, [], 'the swept room announced nothing pending');
  });
});
