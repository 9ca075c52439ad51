/**
 * WebSocket events: one JSON object per WebSocket text message. Server and page both import
 * these types, so neither re-declares the protocol. Documented in docs/protocol.md.
 */
import type { ErrorCode } from './errors.js';

export type Transport = 'tcp' | 'line' | 'ws';

export interface MemberInfo {
  /** Server-unique id for this connection's lifetime; stable across nick changes. */
  id: number;
  /** Nickname, or `ip:port` until one is set: the SENDER token of the framed form. */
  name: string;
  transport: Transport;
}

export type NoticeKind = 'join' | 'leave' | 'nick' | 'info' | 'error';

/** A chat line from a member (`kind: 'action'` for `/me`). */
export interface MessageEvent {
  type: 'message';
  /**
   * Position in the room's history: increases with every accepted message, across server
   * restarts on the same data dir. The page resumes from the last one it saw. 0 means not
   * stored: said while the instance could not reach the shared room (`--redis`), so only the
   * members of that instance got it.
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
}

/** A server notice: presence changes carry the member so lists update without a full refresh. */
export interface NoticeEvent {
  type: 'notice';
  kind: NoticeKind;
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
}

/** First event on a new connection: who you are and who is here. */
export interface WelcomeEvent {
  type: 'welcome';
  time: number;
  you: MemberInfo;
  /** The first MEMBER_LIST_MAX (200) members in join order, `you` among them if it fits. */
  members: MemberInfo[];
  /** Members in the room, all instances; more than `members.length` when the list was cut. */
  count: number;
  maxPayload: number;
}

/** The reply to `/who`, and to a `who` event. */
export interface MembersEvent {
  type: 'members';
  time: number;
  /** As in the welcome: at most MEMBER_LIST_MAX, and `count` in all. */
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
 * Stored messages, oldest first, sent once right after the welcome notice of every connection.
 * `mode: 'recent'` is the newest `--history` messages (a first visit, or a resume whose gap was too
 * long to replay): the page shows them instead of what it had. `mode: 'resume'` is every message
 * after the id the page asked for: it appends them.
 */
export interface HistoryEvent {
  type: 'history';
  mode: 'recent' | 'resume';
  /** Identifies this history; ids are only comparable within one epoch (see HistoryPage). */
  epoch: string;
  messages: MessageEvent[];
  /** Older messages exist before `messages[0]`: load them with `GET /history?before=ID`. */
  more: boolean;
}

/**
 * `GET /history?before=ID&limit=N`: up to N messages older than ID (the newest ones without
 * `before`), oldest first. A new `epoch` means the store was replaced (`--data-dir :memory:` and
 * a restart), so ids from an older epoch mean nothing here.
 */
export interface HistoryPage {
  epoch: string;
  messages: MessageEvent[];
  more: boolean;
}

export type ServerEvent = MessageEvent | NoticeEvent | WelcomeEvent | MembersEvent | ErrorEvent | HistoryEvent;

/** Send a chat line or a command (`/nick`, `/me`, `/who`, `/help`), as any client would type it. */
export interface SendEvent {
  type: 'send';
  text: string;
}

/** Ask for the member list without printing a notice. */
export interface WhoEvent {
  type: 'who';
}

export type ClientEvent = SendEvent | WhoEvent;
export type ClientEventType = ClientEvent['type'];
export type ServerEventType = ServerEvent['type'];
