/**
 * WebSocket events: one JSON object per WebSocket text message. Server and page both import
 * these types, so neither re-declares the protocol. Documented in docs/protocol.md.
 */
import type { ErrorCode } from './errors.js';

/**
 * Every kind of connection, once: the hub's counts, /healthz, /metrics and the checks of values
 * from other instances are built from this list, so a new transport is one entry here.
 */
export const TRANSPORTS = ['tcp', 'line', 'ws', 'irc'] as const;

export type Transport = (typeof TRANSPORTS)[number];

/** A zero for every transport: the shape of the per-transport counters. */
export function perTransport(): Record<Transport, number> {
  return { tcp: 0, line: 0, ws: 0, irc: 0 };
}

export interface MemberInfo {
  /** Server-unique id for this connection's lifetime; stable across nick changes. */
  id: number;
  /** Nickname, or `ip:port` until one is set: the SENDER token of the framed form. */
  name: string;
  transport: Transport;
  /** In a room's member list: an operator of that room (shown as @). */
  op?: boolean;
}

export type NoticeKind = 'join' | 'leave' | 'nick' | 'topic' | 'info' | 'error';

/** A room as `/rooms` and the `rooms` event list it. */
export interface RoomInfo {
  /** `#` and the name as its creator wrote it (compared without case, width or look-alikes). */
  name: string;
  /** Members in the room, every instance. */
  count: number;
  /** Empty when none is set. */
  topic: string;
}

/**
 * A chat line from a member (`kind: 'action'` for `/me`): in a room (`room`), or a direct
 * message (`to`, no `room`).
 */
export interface MessageEvent {
  type: 'message';
  /** The room it was said in; absent for a direct message. */
  room?: string;
  /** A direct message: who it was sent to (the page's own member, or, on `self`, the recipient). */
  to?: MemberInfo;
  /**
   * Position in the room's history: increases with every message accepted in that room, across
   * server restarts on the same data dir; each room counts on its own. The page resumes each room
   * from the last one it saw there. 0 means not stored: a direct message (never stored), or said
   * while the instance could not reach the shared room (`--redis`), so only the members of that
   * instance got it.
   */
  id: number;
  kind: 'chat' | 'action';
  /** Server time, epoch milliseconds (the framed form shows the same instant to the second). */
  time: number;
  from: string;
  /** Sender's member id. */
  fromId: number;
  text: string;
  /** True on the copy sent back to the page that sent it (TCP clients get no echo). */
  self?: boolean;
  /** True when a bot posted it through the HTTP API (`from` then ends with `[bot]`, which no nickname may). */
  bot?: boolean;
}

/**
 * A server notice: presence changes carry the member so lists update without a full refresh.
 * `room` names the room a join, leave or topic notice is about; notices without one are about
 * the whole server (nick changes, replies, errors).
 */
export interface NoticeEvent {
  type: 'notice';
  kind: NoticeKind;
  room?: string;
  time: number;
  text: string;
  member?: MemberInfo;
  /**
   * A batched `join` or `leave` (several members within the presence window): up to 20 of the
   * members it is about. When `count` is larger the list is cut short: ask again with `who`.
   */
  members?: MemberInfo[];
  /** A batched `join` or `leave`: how many members it is about. */
  count?: number;
  /** For `nick`: the name the member had before. */
  previous?: string;
  /** For `error`: the stable error code. */
  code?: ErrorCode;
  /** For a `leave` that is a kick: who removed the member (its reason is in `text`). */
  by?: MemberInfo;
  /** For an `info` notice that changed the room's moderation: the change as IRC writes it (`+o alice`, `+b bob!*@*`, `+t`). */
  mode?: string;
}

/**
 * The flood limit this connection is under (0 = that limit is off). Over it, input is held back,
 * not dropped; a client that paces itself to these never is.
 */
export interface RateLimits {
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
}

/**
 * First event on a new connection: who you are and your limits. A `joined` event for the default
 * room follows (every member is put there on connecting), then its `history`.
 */
export interface WelcomeEvent {
  type: 'welcome';
  time: number;
  you: MemberInfo;
  /** The room every member is put in on connecting (`--default-room`). */
  defaultRoom: string;
  maxPayload: number;
  limits: RateLimits;
  /** Rooms one member may be in at once (`--max-rooms-per-member`). */
  maxRooms: number;
  /**
   * The server has a password (`--password`): send a `pass` event before anything else. Until
   * then nothing of the chat comes (no `joined`); after the right one, the default room's
   * `joined` and `history` follow as on any server. Absent on a server without one.
   */
  passwordRequired?: boolean;
}

/** You are now in a room: who is there. Its `history` follows. */
export interface JoinedEvent {
  type: 'joined';
  time: number;
  room: string;
  topic: string;
  /** The first MEMBER_LIST_MAX (200) members in join order, you among them if it fits. */
  members: MemberInfo[];
  /** Members in the room, all instances; more than `members.length` when the list was cut. */
  count: number;
}

/** You are no longer in a room (you left it, with `reason` if you gave one). */
export interface PartedEvent {
  type: 'parted';
  time: number;
  room: string;
  reason?: string;
}

/** The reply to `/rooms` and to a `rooms` event: every room, busiest first (at most 200). */
export interface RoomsEvent {
  type: 'rooms';
  time: number;
  rooms: RoomInfo[];
  /** Rooms in all; more than `rooms.length` when the list was cut. */
  count: number;
}

/** The reply to a `who` event: a room's members. */
export interface MembersEvent {
  type: 'members';
  time: number;
  room: string;
  /** As in `joined`: at most MEMBER_LIST_MAX, and `count` in all. */
  members: MemberInfo[];
  count: number;
}

/** Something this client sent was refused; the connection stays up unless `fatal`. */
export interface ErrorEvent {
  type: 'error';
  code: ErrorCode;
  message: string;
  fatal?: boolean;
}

/**
 * Ids the server handed out with messages it then failed to keep (its disk was full, or its
 * database lost its last writes): those messages reached the members online then, but are not
 * in history. Ids are never handed out twice, so a range is lost for good.
 */
export interface LostRange {
  first: number;
  last: number;
}

/**
 * Stored messages, oldest first, sent right after the welcome notice of every connection, in one
 * or more events as the page reads them (each holds up to about 64 KiB of messages).
 * `mode: 'recent'` is the newest `--history` messages (a first visit, or a resume whose gap was too
 * long to replay): the page shows them instead of what it had. `mode: 'resume'` is every message
 * after the id the page asked for: it appends them. The events after the first of a replay are
 * always `resume`: they continue it.
 */
export interface HistoryEvent {
  type: 'history';
  room: string;
  mode: 'recent' | 'resume';
  /** Identifies this history; ids are only comparable within one epoch (see HistoryPage). */
  epoch: string;
  messages: MessageEvent[];
  /** Older messages exist before `messages[0]`: load them with `GET /history?before=ID`. */
  more: boolean;
  /**
   * Only in a resume, and only when some were: ids after the page's `after` that were lost (see
   * LostRange), oldest first, so the page can say so where they fall instead of skipping them
   * silently. Each event of the replay carries the ranges before its last message; the last
   * event carries the rest (it may then hold no message).
   */
  lost?: LostRange[];
}

/**
 * `GET /history?room=R&before=ID&limit=N`: up to N messages of room R older than ID (the newest
 * ones without `before`), oldest first. A new `epoch` means the store was replaced
 * (`--data-dir :memory:` and a restart), so ids from an older epoch mean nothing here.
 */
export interface HistoryPage {
  room: string;
  epoch: string;
  messages: MessageEvent[];
  more: boolean;
}

export type ServerEvent =
  | MessageEvent
  | NoticeEvent
  | WelcomeEvent
  | JoinedEvent
  | PartedEvent
  | RoomsEvent
  | MembersEvent
  | ErrorEvent
  | HistoryEvent;

/**
 * A chat line or a command (`/nick`, `/me`, `/join`, `/msg`…) as typed, in `room` (the room whose
 * composer it was typed in; the default room when absent).
 */
export interface SendEvent {
  type: 'send';
  text: string;
  room?: string;
}

/** Ask for a room's member list without printing a notice. */
export interface WhoEvent {
  type: 'who';
  room?: string;
}

/**
 * Join a room (made if new). A page coming back says where it left off there (`after`, `epoch`),
 * as for the default room in `/ws?after=&epoch=`, and gets what it missed.
 */
export interface JoinEvent {
  type: 'join';
  room: string;
  after?: number;
  epoch?: string;
}

export interface PartEvent {
  type: 'part';
  room: string;
  reason?: string;
}

/** A direct message to one member, by nickname. */
export interface MsgEvent {
  type: 'msg';
  to: string;
  text: string;
  kind?: 'chat' | 'action';
}

/** Set a room's topic (empty clears it). */
export interface TopicEvent {
  type: 'topic';
  room: string;
  text: string;
}

/** Ask for the list of rooms. */
export interface ListRoomsEvent {
  type: 'rooms';
}

export interface NickEvent {
  type: 'nick';
  name: string;
}

/**
 * The server password, on a server whose welcome says `passwordRequired`: the first event. Right:
 * the default room's `joined` follows. Wrong: one error `notice` (code SB_ERR_BAD_PASSWORD, or
 * SB_ERR_PASSWORD_LOCKOUT after too many from this address) and the close (1008).
 */
export interface PassEvent {
  type: 'pass';
  password: string;
}

export type ClientEvent = SendEvent | WhoEvent | JoinEvent | PartEvent | MsgEvent | TopicEvent | ListRoomsEvent | NickEvent | PassEvent;
export type ClientEventType = ClientEvent['type'];
export type ServerEventType = ServerEvent['type'];
