import type { LostRange } from '../../shared/events.js';
import type { HistoryRecord, HistoryStore } from '../history/history-store.js';
import { OutgoingMessage, type RoomRef } from '../message/outgoing-message.js';

/** Most messages a reconnecting page is sent to fill a room's gap; past this it starts afresh. */
export const RESUME_MAX = 1000;

/** Records read from the store at a time while a replay streams. */
const READ_BATCH = 16;

/** Where a reconnecting page left off in a room: the last id it saw, in the history epoch it saw it in. */
export interface ResumePoint {
  epoch: string;
  after: number;
}

interface CursorInit {
  mode: 'recent' | 'resume';
  epoch: string;
  after: number;
  count: number;
  more: boolean;
  lost?: LostRange[];
}

/**
 * The stored messages of one room that one joining member is replayed (see HistoryEvent in
 * shared/events.ts), read from the store only as its connection takes them: a member that asked
 * for a thousand 64 KB messages and reads none costs one batch, not 64 MB. Bounded by the newest
 * id at the time of joining, so nothing said since (which the member gets live) is replayed too.
 */
export class ReplayCursor {
  readonly room: RoomRef;
  readonly mode: 'recent' | 'resume';
  readonly epoch: string;
  /** Older messages exist before the first one; only meaningful for `recent`. */
  readonly more: boolean;
  /** Messages this replay holds in all. */
  readonly count: number;
  private readonly store: HistoryStore | null;
  private readonly upTo: number;
  private position: number;
  private remaining: number;
  private batch: HistoryRecord[] = [];
  private index = 0;
  /** `resume` only: ids after the resume point that the store lost, not yet handed on. */
  private lost: LostRange[];

  constructor(store: HistoryStore | null, room: RoomRef, init: CursorInit) {
    this.store = store;
    this.room = room;
    this.mode = init.mode;
    this.epoch = init.epoch;
    this.more = init.more;
    this.count = store === null ? 0 : init.count;
    this.position = init.after;
    this.remaining = this.count;
    this.upTo = store?.lastId ?? 0;
    this.lost = init.lost ?? [];
  }

  /** A replay of nothing: tells a page the room's epoch (or that the history was replaced). */
  static empty(room: RoomRef, epoch: string): ReplayCursor {
    return new ReplayCursor(null, room, { mode: 'recent', epoch, after: 0, count: 0, more: false });
  }

  /**
   * The lost ranges below id `before` (all that are left when null: the replay is over), each
   * handed on once, so a transport that sends the replay in parts puts each where it falls.
   */
  takeLost(before: number | null): LostRange[] {
    let count = 0;
    while (count < this.lost.length && (before === null || this.lost[count]!.first < before)) count += 1;
    return this.lost.splice(0, count);
  }

  /** The next stored message, oldest first; null when the replay is over. */
  take(): OutgoingMessage | null {
    if (this.remaining <= 0 || this.store === null) return null;
    if (this.index === this.batch.length) {
      this.batch = this.store.after(this.room.key, this.position, Math.min(READ_BATCH, this.remaining));
      this.index = 0;
      if (this.batch.length === 0) {
        this.remaining = 0;
        return null;
      }
    }
    const record = this.batch[this.index]!;
    this.index += 1;
    if (record.id > this.upTo) {
      // Retention removed some of what was counted: what follows was said after the join.
      this.remaining = 0;
      return null;
    }
    this.position = record.id;
    this.remaining -= 1;
    return OutgoingMessage.fromRecord(record, this.room);
  }
}

/**
 * One room's side of history: storing what is said there, and choosing what a joining member is
 * replayed. Ids come from the hub (one sequence for the server); without a store nothing is
 * replayed, and a random epoch makes every resume start afresh.
 */
export class ChannelHistory {
  constructor(
    private readonly store: HistoryStore | null,
    private readonly room: RoomRef,
    private readonly joinCount: number,
    private readonly noStoreEpoch: string,
  ) {}

  get epoch(): string {
    return this.store?.epoch ?? this.noStoreEpoch;
  }

  /** Stores an accepted chat line or action; called before it is delivered to anyone. */
  record(message: OutgoingMessage): void {
    this.store?.append(this.room.key, message.toRecord());
  }

  /**
   * A page that says where it left off gets everything after that, if it is the same history and
   * the gap is at most RESUME_MAX, and which ids in it the store lost; everyone else gets the
   * newest `--history` messages.
   */
  replayFor(resume: ResumePoint | undefined): ReplayCursor {
    const store = this.store;
    if (store === null) return ReplayCursor.empty(this.room, this.noStoreEpoch);
    if (resume !== undefined && resume.epoch === store.epoch) {
      const count = store.countAfter(this.room.key, resume.after, RESUME_MAX + 1);
      if (count <= RESUME_MAX) {
        const lost = store.lostAfter?.(resume.after) ?? [];
        return new ReplayCursor(store, this.room, { mode: 'resume', epoch: store.epoch, after: resume.after, count, more: false, lost });
      }
    }
    const window = store.recentWindow(this.room.key, this.joinCount);
    return new ReplayCursor(store, this.room, { mode: 'recent', epoch: store.epoch, ...window });
  }
}
