import { isBotName } from '../../shared/bot-name.js';
import { SwitchboardError } from '../../shared/errors.js';
import type { LostRange, MessageEvent } from '../../shared/events.js';
import type { AccountStore } from './account-table.js';
import type { ModerationState } from './moderation-record.js';

/** The store could not be opened or checked at start-up; the message says which dir and why. */
export class HistoryUnavailableError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SB_ERR_HISTORY', message, options);
    this.name = 'HistoryUnavailableError';
  }
}

/** One stored message: what the room accepted, with the id and time it gave it. */
export interface HistoryRecord {
  /** Increases with every message, across restarts on the same store. */
  id: number;
  /** Epoch milliseconds: the server's time when the room accepted it. */
  time: number;
  kind: 'chat' | 'action';
  /** The sender's name at the time (nickname, or `ip:port`). */
  from: string;
  /** The sender's member id in the server run that accepted it (ids restart with the server). */
  fromId: number;
  text: string;
}

/** Records oldest first, and whether older ones exist before the first. */
export interface HistorySlice {
  records: HistoryRecord[];
  more: boolean;
}

/** See HistoryStore.recentWindow. */
export interface HistoryWindow {
  after: number;
  count: number;
  more: boolean;
}

/** What the store keeps of a room besides its messages, so a restart finds it as it was. */
export interface StoredRoom {
  /** The room's key (see shared/room-name.ts roomKey): what messages are filed under. */
  key: string;
  /** Its name as its creator wrote it. */
  name: string;
  topic: string;
}

/** `--history-retain` (per room): keep at most this many messages, or none older than this; or keep all. */
export type Retention = { kind: 'count'; messages: number } | { kind: 'age'; ms: number } | { kind: 'all' };

/**
 * Where the rooms' messages outlive the process. Messages are filed by room key; ids are one
 * sequence for the whole server (so within a room they increase, with gaps where other rooms
 * spoke), assigned by the hub (continuing from `lastId`), and appended synchronously before
 * delivery; the store may buffer, but it must make a record durable before the output of the
 * same event-loop turn reaches any socket (see `commit`). Reads see every appended record,
 * committed or not.
 */
export interface HistoryStore {
  /** Random per store: ids from another epoch (an old `:memory:` run) must not be resumed from. */
  readonly epoch: string;
  /**
   * The newest id that may have been handed out (0 for an empty store): at least the newest
   * stored, so ids keep increasing after a restart and are never handed out twice, even when
   * the store lost some of them.
   */
  readonly lastId: number;
  append(room: string, record: HistoryRecord): void;
  /** Writes what was appended since the last commit, in one transaction. Cheap when nothing is. */
  commit(): void;
  /** The newest `limit` records of a room. */
  recent(room: string, limit: number): HistorySlice;
  /** Up to `limit` records of a room with an id below `before`, the newest of them. */
  before(room: string, before: number, limit: number): HistorySlice;
  /** Up to `limit` records of a room with an id above `after`, the oldest of them. */
  after(room: string, after: number, limit: number): HistoryRecord[];
  /**
   * Where a room's newest `limit` records start, from their ids alone (cheap however large the
   * texts): the id just before the first of them, how many there are, and whether older exist.
   */
  recentWindow(room: string, limit: number): HistoryWindow;
  /** How many records of a room have an id above `after`, counting no further than `limit`. */
  countAfter(room: string, after: number, limit: number): number;
  /**
   * Ids above `after` that were handed out but are not stored (a failed write, a damaged log),
   * oldest first, the first clipped to `after + 1`. Which room a lost id was in is not known, so
   * they are every room's. Left out by stores that cannot lose one.
   */
  lostAfter?(after: number): LostRange[];
  /** The room, if the store knows it (it was made, or spoken in, before). */
  room(key: string): StoredRoom | undefined;
  /** Remembers a room's name and topic (made, or topic set). */
  saveRoom(room: StoredRoom): void;
  /** A room's operators, bans, mutes and locks, if any were stored; stores without it forget them at exit. */
  moderation?(key: string): ModerationState | undefined;
  /** Stores a room's moderation after a change (an operator, a ban, a lock). */
  saveModeration?(key: string, state: ModerationState): void;
  /** Where accounts are kept (`--accounts`), in the same database; stores without it cannot hold accounts. */
  accounts?(): AccountStore;
  /** Applies the retention policy; returns how many records were removed. */
  prune(now: number): number;
  /** Commits and releases the store; idempotent. */
  close(): void;
}

/** A stored message of `room` as the page's `message` event (no `self`: the sender's connection is gone). */
export function toMessageEvent(record: HistoryRecord, room: string): MessageEvent {
  const event: MessageEvent = { type: 'message', room, id: record.id, kind: record.kind, time: record.time, from: record.from, fromId: record.fromId, text: record.text };
  if (isBotName(record.from)) event.bot = true;
  return event;
}
