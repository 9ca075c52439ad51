import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ErrorEvent,
  HistoryEvent,
  MemberInfo,
  MembersEvent,
  MessageEvent,
  NoticeEvent,
  ServerEvent,
  WelcomeEvent,
} from '../../shared/events.js';
import { parseServerEvent } from './parse-event.js';

const alice: MemberInfo = { id: 1, name: 'alice', transport: 'ws' };
const bob: MemberInfo = { id: 2, name: 'bob', transport: 'tcp' };
const carol: MemberInfo = { id: 3, name: '127.0.0.1:50000', transport: 'line' };
const TIME = Date.UTC(2026, 0, 2, 3, 4, 5);

const welcome: WelcomeEvent = { type: 'welcome', time: TIME, you: alice, defaultRoom: '#lobby', maxPayload: 65536, limits: { messagesPerSecond: 20, messageBurst: 40, bytesPerSecond: 262144, byteBurst: 262144 }, maxRooms: 50 };
const message: MessageEvent = { type: 'message', id: 1, kind: 'chat', time: TIME, from: 'bob', fromId: 2, text: 'hi <b>' };
const notice: NoticeEvent = { type: 'notice', kind: 'join', time: TIME, text: 'bob joined', member: bob };
const members: MembersEvent = { type: 'members', time: TIME, room: '#lobby', members: [alice, bob], count: 2 };
const error: ErrorEvent = { type: 'error', code: 'SB_ERR_NICK_TAKEN', message: 'nickname taken' };

/** The event as the wire carries it, with `changes` applied (JSON drops a field set to undefined). */
function wire(event: ServerEvent, changes: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...event, ...changes });
}

function assertAccepted(event: ServerEvent, changes: Record<string, unknown> = {}): void {
  const data = wire(event, changes);
  assert.deepEqual(parseServerEvent(data), JSON.parse(data), data);
}

function assertRejected(data: unknown): void {
  assert.equal(parseServerEvent(data), null, typeof data === 'string' ? data : String(data));
}

describe('parseServerEvent: valid events', () => {
  it('accepts welcome, and joined with its room, topic and members', () => {
    assertAccepted(welcome);
    assertAccepted(welcome, { passwordRequired: true });
    assertRejected(wire(welcome, { passwordRequired: 'yes' }));
    const joined: ServerEvent = { type: 'joined', time: TIME, room: '#ops', topic: 'deploys', members: [alice, bob, carol], count: 3 };
    assertAccepted(joined);
    assertAccepted(joined, { members: [], topic: '' });
    assertRejected(wire(joined, { room: 7 }));
    assertRejected(wire(joined, { members: [{ id: 'x' }] }));
  });

  it('accepts chat and action messages, with or without self', () => {
    assertAccepted(message);
    assertAccepted(message, { kind: 'action', text: 'waves' });
    assertAccepted(message, { self: true });
    assertAccepted(message, { text: '' });
    assertAccepted(message, { from: 'ci[bot]', fromId: 0, bot: true });
  });

  it('accepts every notice kind, with or without member, previous and code', () => {
    for (const kind of ['join', 'leave', 'nick', 'info', 'error'] as const) assertAccepted(notice, { kind });
    assertAccepted(notice, { kind: 'info', member: undefined });
    assertAccepted(notice, { kind: 'nick', member: { ...bob, name: 'robert' }, previous: 'bob' });
    assertAccepted(notice, { kind: 'error', member: undefined, code: 'SB_ERR_NICK_INVALID' });
  });

  it('accepts a batched join or leave (members and count) and rejects a malformed batch', () => {
    assertAccepted(notice, { member: undefined, members: [alice, bob], count: 2 });
    assertAccepted(notice, { kind: 'leave', member: undefined, members: [alice], count: 120 });
    assertRejected(wire(notice, { members: [alice, { id: 'x' }] }));
    assertRejected(wire(notice, { members: alice }));
    assertRejected(wire(notice, { count: 1.5 }));
  });

  it('accepts history, empty or not, recent or resume', () => {
    const history: HistoryEvent = { type: 'history', room: '#lobby', mode: 'recent', epoch: 'e', messages: [message], more: true };
    assertAccepted(history);
    assertAccepted(history, { mode: 'resume', messages: [], more: false });
    assertRejected(wire(history, { messages: [{ ...message, id: 'x' }] }));
    assertRejected(wire(history, { mode: 'all' }));
    assertRejected(wire(history, { epoch: undefined }));
  });

  it('accepts a resume with the ids the server lost, and rejects a malformed list of them', () => {
    const history: HistoryEvent = { type: 'history', room: '#lobby', mode: 'resume', epoch: 'e', messages: [message], more: false, lost: [{ first: 84, last: 158 }] };
    assertAccepted(history);
    for (const lost of [{ first: 84, last: 158 }, [{ first: 84 }], [{ first: 9, last: 8 }], [{ first: '1', last: 2 }], [null]]) {
      assertRejected(wire(history, { lost }));
    }
  });

  it('rejects a message without a numeric id', () => {
    assertRejected(wire(message, { id: undefined }));
    assertRejected(wire(message, { id: '1' }));
  });

  it('accepts members, empty or not, with a count (larger when the list was cut) or none', () => {
    assertAccepted(members);
    assertAccepted(members, { members: [] });
    assertAccepted(members, { count: 5000 });
    assertAccepted(members, { count: undefined });
    assertRejected(wire(members, { count: -1 }));
    assertRejected(wire(members, { count: '3' }));
  });

  it('accepts error, fatal or not', () => {
    assertAccepted(error);
    assertAccepted(error, { fatal: true });
  });

  it('returns the parsed object with its fields intact', () => {
    const parsed = parseServerEvent(wire(welcome));
    assert.ok(parsed !== null && parsed.type === 'welcome');
    assert.equal(parsed.you.name, 'alice');
    assert.equal(parsed.defaultRoom, '#lobby');
    assert.equal(parsed.maxPayload, 65536);
  });

  it('ignores extra fields a newer server may add', () => {
    assertAccepted(message, { reactions: [] });
  });
});

describe('parseServerEvent: malformed input', () => {
  it('rejects data that is not a string', () => {
    assertRejected(undefined);
    assertRejected(null);
    assertRejected(42);
    assertRejected(new ArrayBuffer(8));
    assertRejected({ ...message });
    // Would parse if coerced to a string: binary frames and other objects must not be.
    assertRejected(new String(wire(message)));
    assertRejected({ toString: () => wire(message) });
  });

  it('rejects text that is not JSON', () => {
    assertRejected('');
    assertRejected('{');
    assertRejected('{"type":"message",}');
    assertRejected("{'type':'message'}");
  });

  it('rejects JSON that is not an object', () => {
    for (const data of ['null', '1', '"message"', 'true', '[]', JSON.stringify([message])]) assertRejected(data);
  });

  it('rejects a missing or unknown type', () => {
    assertRejected(wire(message, { type: undefined }));
    assertRejected(wire(message, { type: 'Message' }));
    assertRejected(wire(message, { type: 'send' }));
    assertRejected(wire(message, { type: 'toString' }));
    assertRejected(wire(message, { type: 1 }));
    assertRejected('{}');
  });

  it('rejects a welcome with a missing or malformed field', () => {
    assertRejected(wire(welcome, { you: undefined }));
    assertRejected(wire(welcome, { you: null }));
    assertRejected(wire(welcome, { you: 'alice' }));
    assertRejected(wire(welcome, { you: { ...alice, id: '1' } }));
    assertRejected(wire(welcome, { you: { ...alice, name: undefined } }));
    assertRejected(wire(welcome, { you: { ...alice, transport: 'udp' } }));
    assertRejected(wire(welcome, { defaultRoom: undefined }));
    assertRejected(wire(welcome, { defaultRoom: 7 }));
    assertRejected(wire(welcome, { maxRooms: undefined }));
    assertRejected(wire(welcome, { maxRooms: '50' }));
    assertRejected(wire(welcome, { maxPayload: undefined }));
    assertRejected(wire(welcome, { maxPayload: '65536' }));
  });

  it('rejects a message with a missing or malformed field', () => {
    assertRejected(wire(message, { kind: undefined }));
    assertRejected(wire(message, { kind: 'notice' }));
    assertRejected(wire(message, { time: undefined }));
    assertRejected(wire(message, { time: '2026-01-02T03:04:05Z' }));
    assertRejected(wire(message, { from: undefined }));
    assertRejected(wire(message, { from: 2 }));
    assertRejected(wire(message, { text: undefined }));
    assertRejected(wire(message, { text: null }));
    assertRejected(wire(message, { text: ['hi'] }));
  });

  it('rejects a notice with a missing or malformed field', () => {
    assertRejected(wire(notice, { kind: undefined }));
    assertRejected(wire(notice, { kind: 3 }));
    assertRejected(wire(notice, { time: undefined }));
    assertRejected(wire(notice, { time: null }));
    assertRejected(wire(notice, { text: undefined }));
    assertRejected(wire(notice, { text: {} }));
    assertRejected(wire(notice, { member: null }));
    assertRejected(wire(notice, { member: { id: 2, name: 'bob' } }));
    assertRejected(wire(notice, { member: [bob] }));
  });

  it('rejects a notice whose previous name is not a string', () => {
    // The page passes `previous` to the nickname control, which normalises it as a string.
    assertRejected(wire(notice, { kind: 'nick', previous: 5 }));
    assertRejected(wire(notice, { kind: 'nick', previous: null }));
    assertRejected(wire(notice, { kind: 'nick', previous: ['bob'] }));
  });

  it('rejects a time the page cannot show as a date', () => {
    // Beyond ±8.64e15 ms a Date is invalid, and rendering it (toISOString) would throw.
    assertRejected(wire(message, { time: 8.64e15 + 1 }));
    assertRejected(wire(notice, { time: -1e300 }));
    assertAccepted(message, { time: 0 });
    assertAccepted(message, { time: 8.64e15 });
  });

  it('rejects members with a missing or malformed list', () => {
    assertRejected(wire(members, { members: undefined }));
    assertRejected(wire(members, { members: alice }));
    assertRejected(wire(members, { members: [alice, { ...bob, id: null }] }));
  });

  it('rejects room fields the page files events by when they are not room names', () => {
    // Views are found by room: a history, member list or parted event without one has no place.
    const history: HistoryEvent = { type: 'history', room: '#lobby', mode: 'recent', epoch: 'e', messages: [], more: false };
    assertAccepted(history, { room: '#ops' });
    assertRejected(wire(history, { room: undefined }));
    assertRejected(wire(history, { room: 5 }));
    assertRejected(wire(members, { room: undefined }));
    assertRejected(wire(members, { room: ['#ops'] }));
    assertAccepted(message, { room: '#ops' });
    assertRejected(wire(message, { room: 7 }));
    assertAccepted(notice, { kind: 'topic', room: '#ops', member: undefined });
    assertRejected(wire(notice, { room: null }));
    assertRejected(wire({ type: 'parted', time: TIME, room: '#ops' }, { room: undefined }));
  });

  it('accepts a direct message with the member it went to, and rejects a malformed one', () => {
    // `to` names the peer of a direct message (the recipient, on our own copy).
    assertAccepted(message, { to: alice });
    assertAccepted(message, { to: bob, self: true });
    assertAccepted(message, { to: carol });
    assertRejected(wire(message, { to: 'alice' }));
    assertRejected(wire(message, { to: { id: 1 } }));
    assertRejected(wire(message, { to: null }));
  });

  it('accepts the list of rooms, and rejects one with a malformed room', () => {
    const rooms: ServerEvent = { type: 'rooms', time: TIME, rooms: [{ name: '#lobby', count: 3, topic: '' }, { name: '#ops', count: 1, topic: 'deploys' }], count: 2 };
    assertAccepted(rooms);
    assertAccepted(rooms, { rooms: [], count: 0 });
    assertRejected(wire(rooms, { rooms: [{ name: '#ops', count: 1 }] }));
    assertRejected(wire(rooms, { rooms: [{ name: 7, count: 1, topic: '' }] }));
    assertRejected(wire(rooms, { rooms: [{ name: '#ops', count: '1', topic: '' }] }));
    assertRejected(wire(rooms, { rooms: [null] }));
  });

  it('rejects an error without a string code and message', () => {
    assertRejected(wire(error, { code: undefined }));
    assertRejected(wire(error, { code: 400 }));
    assertRejected(wire(error, { message: undefined }));
    assertRejected(wire(error, { message: false }));
  });
});
