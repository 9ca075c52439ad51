import type { MessageEvent } from '../../shared/events.js';

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

/** `--history-retain`: keep at most this many messages, or none older than this; or keep all. */
export type Retention = { kind: 'count'; messages: number } | { kind: 'age'; ms: number } | { kind: 'all' };

/**
 * Where the room's messages outlive the process. The room assigns ids (continuing from
 * `lastId`) and appends synchronously before it delivers; the store may buffer, but it must make
 * a record durable before the output of the same event-loop turn reaches any socket (see
 * `commit`). Reads see every appended record, committed or not.
 */
export interface HistoryStore {
  /** Random per store: ids from another epoch (an old `:memory:` run) must not be resumed from. */
  readonly epoch: string;
  /** The newest id ever appended (0 for an empty store), so ids keep increasing after a restart. */
  readonly lastId: number;
  append(record: HistoryRecord): void;
  /** Writes what was appended since the last commit, in one transaction. Cheap when nothing is. */
  commit(): void;
  /** The newest `limit` records. */
  recent(limit: number): HistorySlice;
  /** Up to `limit` records with an id below `before`, the newest of them. */
  before(before: number, limit: number): HistorySlice;
  /** Up to `limit` records with an id above `after`, the oldest of them. */
  after(after: number, limit: number): HistoryRecord[];
  /** Applies the retention policy; returns how many records were removed. */
  prune(now: number): number;
  /** Commits and releases the store; idempotent. */
  close(): void;
}

/** A stored message as the page's `message` event (no `self`: the sender's connection is gone). */
export function toMessageEvent(record: HistoryRecord): MessageEvent {
  return { type: 'message', id: record.id, kind: record.kind, time: record.time, from: record.from, fromId: record.fromId, text: record.text };
}
