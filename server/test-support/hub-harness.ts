import { pino } from 'pino';
import type { MemberInfo, RateLimits, RoomInfo, Transport } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { ReplayCursor } from '../channel/channel-history.js';
import type { ClusterHealth, ClusterLink, NickClaim, RemoteSession, SharedDraft } from '../hub/cluster-link.js';
import { Hub, type HubOptions } from '../hub/hub.js';
import type { CloseReason, RoomView, Session, SessionConnection } from '../hub/session.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';

/**
 * The hub as a model, without sockets, for the hub's model tests: a connection that records
 * what the hub hands it (the port every transport implements), an injected clock, a log that
 * keeps its lines, and a cluster link that records what it is told. Its Recorder has the typed
 * welcome and refusals and records input pausing, for the hub-lifecycle/input/delivery tests;
 * hub-model.ts's has acknowledgements and the typed room replies, for the intent tests. Two
 * helpers wrote them at once; one Recorder with both ports' options would serve both.
 */

/** A connection that records every call the hub makes on it. */
export class Recorder implements SessionConnection {
  readonly messages: OutgoingMessage[] = [];
  readonly joinedRooms: RoomView[] = [];
  readonly refusals: { code: ErrorCode; message: string }[] = [];
  /** `pause`/`resume` calls, in order. */
  readonly reading: string[] = [];
  closed: CloseReason | null = null;
  farewell: OutgoingMessage | null = null;
  closes = 0;
  welcomed: { you: MemberInfo; limits: RateLimits; room: string; passwordRequired: boolean } | null = null;
  constructor(
    readonly address: string,
    readonly transport: Transport = 'line',
    typed = false,
  ) {
    if (typed) {
      this.joined = (room: RoomView) => void this.joinedRooms.push(room);
      this.refused = (code: ErrorCode, message: string) => void this.refusals.push({ code, message });
      this.welcome = (you: MemberInfo, limits: RateLimits, room: string, passwordRequired: boolean) => void (this.welcomed = { you, limits, room, passwordRequired });
    }
  }
  joined?: (room: RoomView) => void;
  refused?: (code: ErrorCode, message: string) => void;
  welcome?: (you: MemberInfo, limits: RateLimits, room: string, passwordRequired: boolean) => void;
  rooms?: (rooms: RoomInfo[], count: number) => void;
  deliver(message: OutgoingMessage): void {
    this.messages.push(message);
  }
  replay(_cursor: ReplayCursor): void {}
  pauseInput(): void {
    this.reading.push('pause');
  }
  resumeInput(): void {
    this.reading.push('resume');
  }
  close(reason: CloseReason, farewell: OutgoingMessage | null): void {
    this.closed = reason;
    this.farewell = farewell;
    this.closes += 1;
  }
  /** Texts it got, `[#room] ` in front of those about a room. */
  texts(): string[] {
    return this.messages.map((message) => `${message.room === null ? '' : `[${message.room.name}] `}${message.from === undefined ? '*** ' : `${message.from.name}: `}${message.text}`);
  }
  last(): string {
    return this.texts().at(-1) ?? '';
  }
}

/** One pino line, parsed. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A hub with a set clock, presence at once and no flood limit unless `options` say otherwise; its log lines are kept. */
export function hubWith(options: Partial<HubOptions> = {}, level = 'info'): { hub: Hub; clock: { now: number }; logs: LogLine[] } {
  const clock = { now: 1_000_000 };
  const logs: LogLine[] = [];
  const logger = pino({ level }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const hub = new Hub({ logger, clock: () => clock.now, ...options, limits: { presenceDelayMs: 0, rateLimit: 0, rateLimitBytes: 0, ...options.limits } });
  return { hub, clock, logs };
}

/** A line typed by a member. */
export function say(hub: Hub, session: Session, line: string, room?: string): void {
  hub.input(session, { kind: 'text', text: line, bytes: line.length, ...(room === undefined ? {} : { room }) });
}

/** A cluster link that records the member events it is told and shares nothing. */
export class LinkRecorder implements ClusterLink {
  readonly instance = 'test';
  readonly up = false;
  readonly events: string[] = [];
  publish(_draft: SharedDraft): boolean {
    return false;
  }
  sendDirect(): Promise<boolean> {
    return Promise.resolve(false);
  }
  connected(member: MemberInfo, nickKey: string | null): void {
    this.events.push(`connected ${member.id} ${member.name} ${nickKey}`);
  }
  renamed(member: MemberInfo, previous: string, nickKey: string | null, previousKey: string | null): void {
    this.events.push(`renamed ${member.id} ${previous}->${member.name} ${nickKey} ${previousKey}`);
  }
  disconnected(member: MemberInfo, nickKey: string | null, reason: string | undefined): void {
    this.events.push(`disconnected ${member.id} ${member.name} ${nickKey} ${reason}`);
  }
  joinedRoom(): void {}
  partedRoom(): void {}
  topicChanged(): void {}
  moderationChanged(): void {}
  kickRemote(): void {}
  claimNick(): Promise<NickClaim> {
    return Promise.resolve('granted');
  }
  releaseNick(): void {}
  remoteByNick(): RemoteSession | undefined {
    return undefined;
  }
  health(): ClusterHealth {
    throw new Error('not asked in these tests');
  }
}
