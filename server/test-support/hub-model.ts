import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { MemberInfo, RoomInfo, Transport } from '../../shared/events.js';
import type { ReplayCursor } from '../channel/channel-history.js';
import type { OutgoingMessage, RoomRef } from '../message/outgoing-message.js';
import type { ClusterHealth, ClusterLink, RemoteSession, SharedDirect, SharedDraft } from '../hub/cluster-link.js';
import { Hub } from '../hub/hub.js';
import type { Intent } from '../hub/intents.js';
import type { CloseReason, RoomView, Session, SessionConnection } from '../hub/session.js';

/**
 * The hub as a model for the intent tests (hub/intent-runner*.test.ts): recording connections,
 * a recording cluster link, an injected clock, presence announced at once, 3 rooms per member.
 */

/** A connection that records everything; `typed` gives it the optional typed replies. */
export class Recorder implements SessionConnection {
  readonly messages: OutgoingMessage[] = [];
  readonly acks: OutgoingMessage[] = [];
  readonly joinedRooms: RoomView[] = [];
  readonly partedRooms: [string, string][] = [];
  readonly memberLists: [string, string[], number][] = [];
  readonly replays: string[] = [];
  listed: { rooms: RoomInfo[]; count: number } | null = null;
  closed: { reason: CloseReason; farewell: string | null; kind: string | null } | null = null;
  joined?: (room: RoomView) => void;
  parted?: (room: string, reason: string) => void;
  members?: (room: string, members: MemberInfo[], count: number) => void;
  rooms?: (rooms: RoomInfo[], count: number) => void;
  constructor(
    readonly address: string,
    readonly transport: Transport = 'line',
    typed = false,
  ) {
    if (!typed) return;
    this.joined = (room) => void this.joinedRooms.push(room);
    this.parted = (room, reason) => void this.partedRooms.push([room, reason]);
    this.members = (room, members, count) => void this.memberLists.push([room, members.map((member) => member.name), count]);
    this.rooms = (rooms, count) => void (this.listed = { rooms, count });
  }
  deliver(message: OutgoingMessage): void {
    this.messages.push(message);
  }
  acknowledge(message: OutgoingMessage): void {
    this.acks.push(message);
  }
  replay(cursor: ReplayCursor): void {
    this.replays.push(cursor.room.name);
  }
  pauseInput(): void {}
  resumeInput(): void {}
  close(reason: CloseReason, farewell: OutgoingMessage | null): void {
    this.closed = { reason, farewell: farewell?.text ?? null, kind: farewell?.notice ?? null };
  }
  /** Texts it got, `[#room] ` in front of those about a room, `*** ` before notices. */
  texts(): string[] {
    return this.messages.map((message) => `${message.room === null ? '' : `[${message.room.name}] `}${message.from === undefined ? '*** ' : `${message.from.name}: `}${message.text}`);
  }
  last(): string {
    return this.texts().at(-1) ?? '';
  }
  /** The last message, for its kind, notice kind and code. */
  lastMessage(): OutgoingMessage {
    const message = this.messages.at(-1);
    assert.ok(message !== undefined, 'no message');
    return message;
  }
  /** Forgets what it got so far. */
  clear(): void {
    this.messages.length = 0;
    this.acks.length = 0;
  }
}

/** A cluster link that records what the hub hands it; publish and sendDirect answer as told. */
export class RecordingLink implements ClusterLink {
  readonly instance = 'here';
  readonly up = true;
  publishes = true;
  readonly published: SharedDraft[] = [];
  readonly directs: [SharedDirect, string][] = [];
  readonly parts: [string, string, string | undefined][] = [];
  readonly joins: [string, string][] = [];
  readonly topics: [string, string][] = [];
  readonly remotes = new Map<string, RemoteSession>();
  sent: (value: boolean) => void = () => {};
  publish(draft: SharedDraft): boolean {
    this.published.push(draft);
    return this.publishes;
  }
  sendDirect(direct: SharedDirect, instance: string): Promise<boolean> {
    this.directs.push([direct, instance]);
    return new Promise((resolve) => (this.sent = resolve));
  }
  connected(): void {}
  renamed(): void {}
  disconnected(): void {}
  joinedRoom(room: RoomRef, member: MemberInfo): void {
    this.joins.push([room.name, member.name]);
  }
  partedRoom(room: RoomRef, member: MemberInfo, reason: string | undefined): void {
    this.parts.push([room.name, member.name, reason]);
  }
  topicChanged(room: RoomRef, topic: string): void {
    this.topics.push([room.name, topic]);
  }
  moderationChanged(): void {}
  kickRemote(): void {}
  claimNick(): Promise<'granted'> {
    return Promise.resolve('granted');
  }
  releaseNick(): void {}
  remoteByNick(nickKey: string): RemoteSession | undefined {
    return this.remotes.get(nickKey);
  }
  health(): ClusterHealth {
    return { status: 'up', instance: this.instance, since: 0, reconnects: 0, remoteMembers: this.remotes.size };
  }
}

export function model(): { hub: Hub; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const hub = new Hub({ logger: pino({ level: 'silent' }), clock: () => clock.now, limits: { presenceDelayMs: 0, rateLimit: 0, rateLimitBytes: 0, maxRoomsPerMember: 3 } });
  return { hub, clock };
}

/** Runs intents for a member, in order. */
export function run(hub: Hub, session: Session, ...intents: Intent[]): void {
  for (const intent of intents) hub.execute(session, intent);
}

export const join = (room: string): Intent => ({ type: 'join', room });
export const say = (text: string, room: string | null = null): Intent => ({ type: 'say', room, kind: 'chat', text });

/** The last message's notice kind and code, as `kind/code`. */
export function codeOf(message: OutgoingMessage): string {
  return `${message.notice ?? '-'}/${message.code ?? '-'}`;
}

