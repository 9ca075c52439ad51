import type { HistoryStore } from '../history/history-store.js';
import { OutgoingMessage } from './outgoing-message.js';

/** Most messages a reconnecting page is sent to fill its gap; past this it starts afresh. */
export const RESUME_MAX = 1000;

/** Where a reconnecting page left off: the last id it saw, in the history epoch it saw it in. */
export interface ResumePoint {
  epoch: string;
  after: number;
}

/** What a joining member is sent after its welcome (see HistoryEvent in shared/events.ts). */
export interface Replay {
  mode: 'recent' | 'resume';
  epoch: string;
  messages: OutgoingMessage[];
  /** Older messages exist before the first one; only meaningful for `recent`. */
  more: boolean;
}

/**
 * The room's side of history: message ids, storing what is said, and choosing what a joining
 * member is replayed. Without a store, ids still increase (the page dedupes by them) and nothing
 * is replayed.
 */
export class RoomHistory {
  private readonly store: HistoryStore | null;
  private readonly joinCount: number;
  private last: number;
  /** Without a store, resuming is impossible: a random epoch makes every resume start afresh. */
  private readonly epoch: string;

  constructor(store: HistoryStore | null, joinCount: number) {
    this.store = store;
    this.joinCount = joinCount;
    this.last = store?.lastId ?? 0;
    this.epoch = store?.epoch ?? `none-${Math.random().toString(36).slice(2)}`;
  }

  /** The id for the next message: one more than any before it, across restarts on the same store. */
  nextId(): number {
    this.last += 1;
    return this.last;
  }

  /** Stores an accepted chat line or action; called before it is delivered to anyone. */
  record(message: OutgoingMessage): void {
    this.store?.append(message.toRecord());
  }

  /**
   * A page that says where it left off gets everything after that, if it is the same history and
   * the gap is at most RESUME_MAX; everyone else gets the newest `--history` messages.
   */
  replayFor(resume: ResumePoint | undefined): Replay {
    const store = this.store;
    if (store === null) return { mode: 'recent', epoch: this.epoch, messages: [], more: false };
    if (resume !== undefined && resume.epoch === store.epoch) {
      const records = store.after(resume.after, RESUME_MAX + 1);
      if (records.length <= RESUME_MAX) {
        return { mode: 'resume', epoch: store.epoch, messages: records.map(OutgoingMessage.fromRecord), more: false };
      }
    }
    const { records, more } = store.recent(this.joinCount);
    return { mode: 'recent', epoch: store.epoch, messages: records.map(OutgoingMessage.fromRecord), more };
  }
}
