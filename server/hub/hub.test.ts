import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { MemberInfo, RateLimits, RoomInfo, Transport } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { ReplayCursor } from '../channel/channel-history.js';
import { MEMORY_DATA_DIR, SqliteHistory } from '../history/sqlite-history.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { Hub, type HubOptions } from './hub.js';
import type { CloseReason, RoomView, Session, SessionConnection } from './session.js';

/**
 * The hub as a model, without sockets: a connection that records what the hub hands it (the
 * port every transport implements), an injected clock, presence announced at once.
 */

class Recorder implements SessionConnection {
  readonly messages: OutgoingMessage[] = [];
  readonly joinedRooms: RoomView[] = [];
  readonly replays: { room: string; count: number }[] = [];
  closed: CloseReason | null = null;
  constructor(
    readonly address: string,
    readonly transport: Transport = 'line',
    private readonly typed = false,
  ) {
    if (typed) {
      this.joined = (room: RoomView) => {
        this.joinedRooms.push(room);
      };
      this.rooms = (rooms: RoomInfo[], count: number) => {
        this.listed = { rooms, count };
      };
    }
  }
  listed: { rooms: RoomInfo[]; count: number } | null = null;
  joined?: (room: RoomView) => void;
  rooms?: (rooms: RoomInfo[], count: number) => void;
  deliver(message: OutgoingMessage): void {
    this.messages.push(message);
  }
  welcome?(_you: MemberInfo, _limits: RateLimits): void {}
  replay(cursor: ReplayCursor): void {
    this.replays.push({ room: cursor.room.name, count: cursor.count });
  }
  refused?(_code: ErrorCode, _message: string): void {}
  pauseInput(): void {}
  resumeInput(): void {}
  close(reason: CloseReason): void {
    this.closed = reason;
  }
  /** Texts it got, `[#room] ` in front of those about a room. */
  texts(): string[] {
    return this.messages.map((message) => `${message.room === null ? '' : `[${message.room.name}] `}${message.from === undefined ? '*** ' : `${message.from.name}: `}${message.text}`);
  }
  last(): string {
    return this.texts().at(-1) ?? '';
  }
}

function hubWith(options: Partial<HubOptions> = {}): { hub: Hub; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const hub = new Hub({ logger: pino({ level: 'silent' }), clock: () => clock.now, limits: { presenceDelayMs: 0, rateLimit: 0, rateLimitBytes: 0 }, ...options });
  return { hub, clock };
}

function say(hub: Hub, session: Session, line: string, room?: string): void {
  hub.input(session, { kind: 'text', text: line, bytes: line.length, ...(room === undefined ? {} : { room }) });
}

describe('Hub (model, no sockets)', () => {
  it('puts every new session in the default room and says so, with a typed joined event where the port has one', () => {
    const { hub } = hubWith();
    const text = new Recorder('10.0.0.1:1');
    const page = new Recorder('10.0.0.2:2', 'ws', true);
    const a = hub.connect(text);
    hub.connect(page);
    assert.equal(a.current?.name, '#lobby');
    assert.match(text.texts()[0]!, /^\*\*\* welcome to switchboard, you are 10\.0\.0\.1:1; you are in #lobby with 0 other members; limits: .*; \/help for commands$/);
    assert.deepEqual(page.joinedRooms.map((room) => [room.name, room.count]), [['#lobby', 2]]);
    assert.deepEqual(text.replays, [{ room: '#lobby', count: 0 }]);
    assert.equal(text.last(), '[#lobby] *** 10.0.0.2:2 joined (ws)');
  });

  it('a room hears only its members; the sender gets no copy; a member out of a room cannot speak there', () => {
    const { hub } = hubWith();
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    const c = hub.connect(cat);
    say(hub, a, '/join #ops');
    say(hub, b, '/join #ops');
    say(hub, a, 'ship it');
    assert.equal(bob.last(), '[#ops] a:1: ship it');
    assert.ok(!ann.texts().includes('[#ops] a:1: ship it'), 'no echo to the sender');
    assert.ok(!cat.texts().some((text) => text.includes('ship it') || text.includes('#ops')), 'a member out of #ops heard it');
    say(hub, c, 'let me in', '#ops');
    assert.equal(cat.last(), '*** you are not in #ops: /join #ops first');
    assert.equal(hub.rooms.find('#OPS')?.count, 2);
    void c;
  });

  it('a direct message reaches its recipient only, by nickname in any case or look-alike, or by address', () => {
    const { hub } = hubWith();
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    hub.connect(cat);
    say(hub, b, '/nick bob');
    say(hub, a, '/msg BOB hi bob');
    assert.equal(bob.last(), 'a:1: hi bob');
    assert.equal(bob.messages.at(-1)?.to?.name, 'bob');
    say(hub, a, '/msg c:3 hi by address');
    assert.equal(cat.last(), 'a:1: hi by address');
    say(hub, a, '/msg ghost boo');
    assert.equal(ann.last(), '*** no member is called ghost');
    assert.equal(hub.stats.directMessages, 2);
    void b;
  });

  it('a rename is announced once to each member who shares any room, and joins pending in a window go out first under the old name', () => {
    const { hub } = hubWith({ limits: { presenceDelayMs: 1000, rateLimit: 0, rateLimitBytes: 0 } });
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    say(hub, a, '/join #x');
    say(hub, b, '/join #x');
    say(hub, a, '/nick ann');
    const renames = bob.texts().filter((text) => text.includes('is now known as ann'));
    assert.deepEqual(renames, ['*** a:1 is now known as ann'], 'once, though they share two rooms');
    // b's joins were waiting in both windows: ann hears of them before her own rename.
    const rename = ann.texts().indexOf('*** a:1 is now known as ann');
    const joins = ann.texts().filter((text, index) => text.includes('b:2 joined') && index < rename);
    assert.deepEqual(joins, ['[#lobby] *** b:2 joined (line)', '[#x] *** b:2 joined (line)']);
    void b;
  });

  it('a topic is kept by the store: a room forgotten when empty comes back with it', () => {
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'all' } });
    const { hub, clock } = hubWith({ history: store, limits: { presenceDelayMs: 0, rateLimit: 0, rateLimitBytes: 0, emptyRoomTtlMs: 60_000 } });
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    say(hub, a, '/join #Ops');
    say(hub, a, '/topic deploys on fridays');
    assert.equal(ann.last(), '[#Ops] *** a:1 set the topic of #Ops: deploys on fridays');
    say(hub, a, '/part');
    clock.now += 30_000;
    assert.equal(hub.rooms.sweep(clock.now), 0, 'forgotten too soon');
    clock.now += 31_000;
    assert.equal(hub.rooms.sweep(clock.now), 1);
    assert.equal(hub.rooms.find('#ops'), undefined);
    say(hub, a, '/join #OPS');
    assert.match(ann.last(), /^\[#Ops\] \*\*\* you joined #Ops \(0 other members here\); topic: deploys on fridays;/);
    assert.equal(hub.rooms.sweep(clock.now + 10_000_000), 0, 'the default room and occupied rooms are never forgotten');
    store.close();
  });

  it('refuses a topic over 300 characters and a nickname with # in it; a room name that is not one', () => {
    const { hub } = hubWith();
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    say(hub, a, `/topic ${'t'.repeat(301)}`);
    assert.equal(ann.last(), '*** a topic has at most 300 characters');
    say(hub, a, `/topic ${'t'.repeat(300)}`);
    assert.equal(hub.rooms.defaultRoom.topic.length, 300);
    say(hub, a, '/nick #ops');
    assert.match(ann.last(), /^\*\*\* nickname refused: a nickname has no # or look-alike/);
    say(hub, a, '/join #a b');
    say(hub, a, '/join #é!');
    assert.match(ann.last(), /^\*\*\* #é! is not a room name/);
    assert.equal(hub.stats.errors.get('SB_ERR_TOPIC_TOO_LONG'), 1);
  });

  it('/rooms answers a typed port with the list and a text one with a notice, busiest first', () => {
    const { hub } = hubWith();
    const page = new Recorder('p:1', 'ws', true);
    const text = new Recorder('t:2');
    const p = hub.connect(page);
    const t = hub.connect(text);
    say(hub, t, '/join #busy');
    say(hub, p, '/join #busy');
    say(hub, p, '/rooms');
    assert.deepEqual(page.listed, { rooms: [{ name: '#busy', count: 2, topic: '' }, { name: '#lobby', count: 2, topic: '' }], count: 2 });
    say(hub, t, '/rooms');
    assert.equal(text.last(), '*** rooms (2): #busy (2), #lobby (2)');
  });

  it('leaving closes every membership: each room announces it', () => {
    const { hub } = hubWith();
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    say(hub, a, '/join #x');
    say(hub, b, '/join #x');
    hub.leave(a, 'SB_ERR_IDLE_TIMEOUT');
    assert.ok(bob.texts().includes('[#x] *** a:1 left (SB_ERR_IDLE_TIMEOUT)'));
    assert.ok(bob.texts().includes('[#lobby] *** a:1 left (SB_ERR_IDLE_TIMEOUT)'));
    assert.equal(hub.rooms.find('#x')?.count, 1);
    assert.equal(hub.size, 1);
    void b;
  });

  it('connects a session that joins rooms itself in no room, with no welcome notice, and counts a request as input', () => {
    const { hub } = hubWith();
    const irc = new Recorder('10.0.0.9:9', 'irc', true);
    const other = new Recorder('10.0.0.8:8');
    hub.connect(other);
    const session = hub.connect(irc, { enterDefaultRoom: false });
    assert.equal(session.rooms.size, 0);
    assert.equal(session.current, null);
    assert.deepEqual(irc.messages, [], 'no welcome notice: the transport says its own');
    assert.equal(hub.rooms.defaultRoom.count, 1, 'only the other member is in the lobby');
    assert.equal(hub.countByTransport().irc, 1);
    let ran = 0;
    hub.input(session, { kind: 'request', bytes: 4, run: () => (ran += 1) });
    assert.equal(ran, 1);
    assert.equal(hub.stats.messagesIn.irc, 1);
    hub.execute(session, { type: 'join', room: '#lobby' });
    assert.equal(irc.joinedRooms[0]?.name, '#lobby');
    assert.equal(irc.joinedRooms[0]?.count, 2);
  });
});
