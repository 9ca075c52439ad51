import type { MemberInfo, RateLimits, RoomInfo, Transport } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { Channel } from '../channel/channel.js';
import type { ReplayCursor, ResumePoint } from '../channel/channel-history.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import type { InputFlow } from './input-flow.js';
import type { Intent } from './intents.js';

/**
 * What a connection hands the hub: a line of text as typed (a chat line or a slash command, said
 * in `room` when the transport knows which room it was typed in: the page's composer), a typed
 * request (the page's events, IRC verbs), or something the transport refused but that does not
 * end the connection (the page's invalid events). Each costs one message and its bytes under the
 * flood limit, so a request's reply can never be an amplifier.
 */
export type SessionInput =
  | { kind: 'text'; text: string; bytes: number; room?: string }
  | { kind: 'intent'; intent: Intent; bytes: number }
  | { kind: 'refused'; code: ErrorCode; message: string; bytes: number }
  /**
   * A request the transport answers itself from what the hub shows every member (IRC's WHO,
   * WHOIS, LIST, MODE, PING…): `run` is called in order with the rest of the input.
   */
  | { kind: 'request'; run: () => void; bytes: number };

/** Why the hub closes a connection: a policy or protocol error, or the member's own `/quit`. */
export type CloseReason = ErrorCode | 'quit';

/** A room as a member who just joined it sees it. */
export interface RoomView {
  name: string;
  topic: string;
  /** The first MEMBER_LIST_MAX members, in join order. */
  members: MemberInfo[];
  count: number;
  /** Stored messages that follow (the replay). */
  replayed: number;
}

/**
 * What a transport adapter hands the hub for each connection. The hub only ever calls these; it
 * never sees a socket. Each adapter picks the wire form it speaks from the message, and every byte
 * it writes goes through its OutputQueue, under the one output policy. The optional methods are
 * for transports with typed events (the page, IRC); without them the hub says the same in notices.
 */
export interface SessionConnection {
  readonly transport: Transport;
  /** `ip:port` of the peer: the member's name until it sets a nickname. */
  readonly address: string;
  /** Write one message; must not throw for a closed connection. */
  deliver(message: OutgoingMessage): void;
  /** Called on the sender after its own message was accepted (the page shows it); optional. */
  acknowledge?(message: OutgoingMessage): void;
  /** Right after connecting: who the member is and the limits it is under. */
  welcome?(you: MemberInfo, limits: RateLimits, defaultRoom: string, passwordRequired: boolean): void;
  /** The member is now in a room; its replay follows. */
  joined?(room: RoomView): void;
  /** The member left a room (it asked to). */
  parted?(room: string, reason: string): void;
  /**
   * An operator removed the member from a room; the kick notice (which it also got) said who
   * and why. Transports that keep rooms open (the page) close it; without this, a notice says so.
   */
  kicked?(room: string, reason: string): void;
  /** The reply to a `rooms` request. */
  rooms?(rooms: RoomInfo[], count: number): void;
  /** The reply to a quiet `who` request (the page's list, not a notice). */
  members?(room: string, members: MemberInfo[], count: number): void;
  /** A request refused without closing (transports that have such requests). */
  refused?(code: ErrorCode, message: string): void;
  /** Streams the stored messages of a room the member just joined, as the socket takes them. */
  replay(cursor: ReplayCursor): void;
  /** Stop reading input (the member is over the flood limit) and start again. */
  pauseInput(): void;
  resumeInput(): void;
  /**
   * End the connection: the farewell notice (if any) goes out after what is queued, or instead of
   * it for a member dropped as too slow; then it is destroyed after a short grace period. The hub
   * has already removed the member. `reason` is why, for transports that can say it on close.
   */
  close(reason: CloseReason, farewell: OutgoingMessage | null): void;
}

/**
 * The hub's record of one connection: its identity (id, nickname), the rooms it is in, and its
 * policy state. The rooms it is in are Channel objects keyed by room key, in join order; text
 * clients also have a current room, where their plain lines go.
 */
export class Session {
  readonly id: number;
  readonly connection: SessionConnection;
  readonly joinedAt: number;
  nick: string | null = null;
  /** False once the member has left; late events from its connection are ignored. */
  present = true;
  /**
   * Its input under the flood limit, made by the hub at its first input: until then its buckets
   * would only be full, and most members of a busy room read far more than they write, so an
   * idle connection does not carry the flow and its two buckets (~270 bytes of heap).
   */
  flow: InputFlow<Session, SessionInput> | null = null;
  /** Set on any input; the idle sweep reads and clears it (no clock read per chunk). */
  active = true;
  /** When the idle sweep last saw this member active. */
  lastActive: number;
  /** The rooms it is in, by key, in the order it joined them. */
  readonly rooms = new Map<string, Channel>();
  /**
   * False until it gives the server password (`--password`; true at once without one): until
   * then it is in no room, has no nickname and is not announced (hub/password-gate.ts).
   */
  authenticated = true;
  /** Where it goes once it gives the password: what it asked for on connecting. */
  admission: { enterDefaultRoom: boolean; resume: ResumePoint | undefined } | null = null;
  /** It gave `/oper` with an `--admin` name and secret: an operator of every room, and it may `/kill`. */
  serverOperator = false;
  /**
   * The key of the account it is logged in as (`--accounts`, `/login`, IRC SASL), null for a
   * guest. Logged in, its nickname is the account's (hub/account-runner.ts).
   */
  account: string | null = null;
  /** Where its plain lines go (the last room joined or switched to); null when in none. */
  current: Channel | null = null;

  constructor(id: number, connection: SessionConnection, joinedAt: number) {
    this.id = id;
    this.connection = connection;
    this.joinedAt = joinedAt;
    this.lastActive = joinedAt;
  }

  get transport(): Transport {
    return this.connection.transport;
  }

  get address(): string {
    return this.connection.address;
  }

  /** The SENDER token: nickname if set, else `ip:port`. */
  get name(): string {
    return this.nick ?? this.connection.address;
  }

  /** The key of its current room, for transports whose wire form depends on it. */
  get currentKey(): string | null {
    return this.current?.key ?? null;
  }

  info(): MemberInfo {
    return { id: this.id, name: this.name, transport: this.transport };
  }
}
