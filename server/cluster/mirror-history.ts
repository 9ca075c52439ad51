import type { HistoryRecord, HistorySlice, HistoryStore, HistoryWindow, StoredRoom } from '../history/history-store.js';
import type { AccountStore } from '../history/account-table.js';
import type { ModerationState } from '../history/moderation-record.js';
import type { RoomRef } from '../message/outgoing-message.js';
import { RECORD_OVERHEAD_BYTES, RoomWindow, recordBytes } from './room-window.js';

/**
 * Memory the mirror may hold for all rooms together (an estimate from the texts' lengths, see
 * recordBytes): about 400,000 short lines, or 2,000 of the longest (64 KiB). Past it the oldest
 * records of the server go first, whichever room they are in: a room that has been quiet longest
 * loses its window before a busy one loses its newest lines.
 */
export const MIRROR_MAX_BYTES = 128 * 1024 * 1024;

/** One record in the order the mirror took them: where to find it when memory must be freed. */
interface Taken {
  /** The window itself, not its key: no string kept per record. */
  window: RoomWindow;
  id: number;
}

export interface MirrorOptions {
  epoch: string;
  /** Records kept per room (`ClusterOptions.window`). */
  window: number;
  /** Defaults to MIRROR_MAX_BYTES. */
  maxBytes?: number;
  /** A room this instance made (first join): the link writes it to Redis if no instance did. */
  onNewRoom?: (room: StoredRoom) => void;
  /** The accounts kept in Redis (`--accounts`). */
  accounts?: AccountStore;
}

/**
 * History in a scaled-out server (`--redis`): the Redis stream is the store every instance
 * appends to (one stream for every room); this is each instance's copy of its newest records,
 * per room, filled from the stream as they are delivered. Replay, page resume and `GET /history`
 * read it synchronously, as they read SQLite without `--redis`, and see exactly what this
 * instance delivered: nothing can fall between a replay and live traffic.
 *
 * Bounded twice: `window` records per room, and `maxBytes` for all rooms together, past which
 * the oldest records of the server are dropped (so 10,000 rooms cost at most `maxBytes`, not
 * 10,000 windows). Older messages stay in Redis but are not served.
 *
 * It also holds what every instance shows for a room (name, topic), loaded from Redis at start
 * and kept current by the link: `room(key)` is asked synchronously when a room is opened.
 */
export class MirrorHistory implements HistoryStore {
  private currentEpoch: string;
  private newestId = 0;
  private readonly window: number;
  private readonly maxBytes: number;
  private readonly windows = new Map<string, RoomWindow>();
  private readonly rooms = new Map<string, StoredRoom>();
  /** Every room's moderation as Redis has it (the link keeps it current), read when a room opens. */
  private readonly moderations = new Map<string, ModerationState>();
  private readonly onNewRoom: (room: StoredRoom) => void;
  /** Every record held, in id order (entries of records already trimmed are skipped): oldest goes first. */
  private taken: Taken[] = [];
  private takenStart = 0;
  private heldBytes = 0;
  private heldRecords = 0;
  /**
   * The newest dropped id of rooms whose window was emptied and forgotten, so a resume from
   * before it is known to have a gap (one number per such room, as the rooms' entries are kept).
   */
  private readonly forgotten = new Map<string, number>();
  /** Start-up only: records read backwards from the stream, newest first, per room. */
  private loading: Map<string, HistoryRecord[]> | null = null;
  private scanned = 0;
  /** Start-up only: ids below this are not held in any room (not read, or read when the mirror was full). */
  private heldFrom = Number.POSITIVE_INFINITY;
  /** Start-up only: per room, the newest id read but not kept (its window was full). */
  private skipped = new Map<string, number>();

  constructor(options: MirrorOptions) {
    const accounts = options.accounts;
    if (accounts !== undefined) this.accounts = () => accounts;
    this.currentEpoch = options.epoch;
    this.window = Math.max(1, options.window);
    this.maxBytes = options.maxBytes ?? MIRROR_MAX_BYTES;
    this.onNewRoom =
      options.onNewRoom ??
      function keepRoomHere() {
        // Without a link (tests) the room is only kept here.
      };
  }

  get epoch(): string {
    return this.currentEpoch;
  }

  /** The newest id delivered, in any room: where a replay stops and the stream reader goes on. */
  get lastId(): number {
    return this.newestId;
  }

  /** Memory held for records (estimate), how many, in how many rooms, and the entries of the queue of what to drop: for tests. */
  get held(): { bytes: number; records: number; rooms: number; queued: number } {
    return { bytes: this.heldBytes, records: this.heldRecords, rooms: this.windows.size, queued: this.taken.length };
  }

  /** Records arrive in id order from the stream; a repeat (the room storing what the link stored) is dropped. */
  append(room: string, record: HistoryRecord): void {
    let window = this.windows.get(room);
    if (window !== undefined && record.id <= window.lastId) return;
    if (window === undefined) {
      window = new RoomWindow(room);
      window.droppedUpTo = this.forgotten.get(room) ?? 0;
      this.forgotten.delete(room);
      this.windows.set(room, window);
    }
    window.push(record);
    this.taken.push({ window, id: record.id });
    this.heldBytes += recordBytes(record);
    this.heldRecords += 1;
    if (record.id > this.newestId) this.newestId = record.id;
    // Trim in steps of a tenth, so a full window does not drop a record on every message.
    if (window.size > this.window + Math.ceil(this.window / 10)) this.release(window, window.size - this.window);
    while (this.heldBytes > this.maxBytes && this.dropOldest()) {
      // Each pass frees the server's oldest record.
    }
    this.compactTaken();
  }

  /**
   * Start-up: a record read backwards from the stream (newest first). Returns false once the
   * mirror is full (its byte cap), so the reader stops; records past a room's window are skipped.
   * It also stops after as many entries as the cap could hold at their smallest: a running
   * instance never holds more than that, and a stream kept whole (`--history-retain all`) is not
   * read to its start.
   */
  preload(room: RoomRef, record: HistoryRecord): boolean {
    this.loading ??= new Map();
    this.scanned += 1;
    this.heldFrom = record.id;
    if (this.scanned > this.maxBytes / RECORD_OVERHEAD_BYTES) return this.full(record);
    this.learnRoom({ key: room.key, name: room.name, topic: '' }, false);
    let records = this.loading.get(room.key);
    if (records === undefined) {
      records = [];
      this.loading.set(room.key, records);
    }
    if (records.length >= this.window) {
      if (!this.skipped.has(room.key)) this.skipped.set(room.key, record.id);
      return true;
    }
    const size = recordBytes(record);
    if (this.heldBytes + size > this.maxBytes) return this.full(record);
    records.push(record);
    this.heldBytes += size;
    return true;
  }

  /** Start-up: `record` is the first not taken for want of room; it and older ones are not held. */
  private full(record: HistoryRecord): false {
    this.heldFrom = record.id + 1;
    return false;
  }

  /** Start-up done: the preloaded records become the windows; `newestId` is the stream's newest entry. */
  finishPreload(newestId: number): void {
    const loading = this.loading ?? new Map<string, HistoryRecord[]>();
    this.loading = null;
    const skipped = this.skipped;
    this.skipped = new Map();
    this.heldBytes = 0;
    this.heldRecords = 0;
    const taken: Taken[] = [];
    // What was read but not kept (past a window, or past the cap) and what was not read (older, or
    // trimmed from the stream) are not held: a resume from before them cannot be filled.
    const notHeld = Number.isFinite(this.heldFrom) ? this.heldFrom - 1 : 0;
    for (const [room, newestFirst] of loading) {
      if (newestFirst.length === 0) {
        this.forgotten.set(room, notHeld);
        continue;
      }
      const window = new RoomWindow(room);
      window.fill(newestFirst.reverse());
      window.droppedUpTo = Math.max(skipped.get(room) ?? 0, notHeld);
      this.windows.set(room, window);
      this.heldBytes += window.bytes;
      this.heldRecords += window.size;
      for (const record of newestFirst) taken.push({ window, id: record.id });
    }
    this.taken = taken.sort((a, b) => a.id - b.id);
    this.takenStart = 0;
    this.newestId = Math.max(this.newestId, newestId);
  }

  /** Redis lost the history: a new epoch, ids start over, nothing is held. Rooms' names and topics stay. */
  replace(epoch: string): void {
    this.currentEpoch = epoch;
    this.newestId = 0;
    this.windows.clear();
    this.taken = [];
    this.takenStart = 0;
    this.heldBytes = 0;
    this.heldRecords = 0;
    this.forgotten.clear();
  }

  commit(): void {
    // Redis holds the records already: nothing is buffered here.
  }

  recent(room: string, limit: number): HistorySlice {
    return this.windows.get(room)?.recent(limit) ?? { records: [], more: false };
  }

  before(room: string, before: number, limit: number): HistorySlice {
    return this.windows.get(room)?.before(before, limit) ?? { records: [], more: false };
  }

  after(room: string, after: number, limit: number): HistoryRecord[] {
    return this.windows.get(room)?.after(after, limit) ?? [];
  }

  recentWindow(room: string, limit: number): HistoryWindow {
    return this.windows.get(room)?.recentWindow(limit, this.newestId) ?? { after: this.newestId, count: 0, more: false };
  }

  /**
   * A resume from before a message of this room that is no longer held cannot be filled: it
   * counts as `limit` (too many), so the page gets the newest messages instead of a silent gap.
   */
  countAfter(room: string, after: number, limit: number): number {
    const window = this.windows.get(room);
    if (after < (window?.droppedUpTo ?? this.forgotten.get(room) ?? 0)) return limit;
    return window?.countAfter(after, limit) ?? 0;
  }

  room(key: string): StoredRoom | undefined {
    return this.rooms.get(key);
  }

  /** A room made here (first join) or whose topic was set here; a new one is written to Redis. */
  saveRoom(room: StoredRoom): void {
    const known = this.rooms.has(room.key);
    this.rooms.set(room.key, { ...room });
    if (!known) this.onNewRoom({ ...room });
  }

  /**
   * What Redis or another instance says of a room. `authoritative`: its topic replaces ours (the
   * rooms hash, a topic event); otherwise only a room not known yet is learnt (a name from the stream).
   */
  learnRoom(room: StoredRoom, authoritative: boolean): void {
    if (!authoritative && this.rooms.has(room.key)) return;
    const known = this.rooms.get(room.key);
    this.rooms.set(room.key, { key: room.key, name: known?.name ?? room.name, topic: room.topic });
  }

  /** Accounts live in Redis beside the history (the link's SharedAccounts). */
  readonly accounts?: () => AccountStore;

  moderation(key: string): ModerationState | undefined {
    return this.moderations.get(key);
  }

  /** A change made here or told by Redis; the link writes and publishes changes made here. */
  saveModeration(key: string, state: ModerationState): void {
    this.moderations.set(key, state);
  }

  /** Every room known here (rewritten to Redis when it lost its data). */
  knownRooms(): StoredRoom[] {
    return [...this.rooms.values()];
  }

  prune(): number {
    return 0;
  }

  close(): void {
    this.replace(this.currentEpoch);
  }

  /** Drops the `count` oldest records of one room. */
  private release(window: RoomWindow, count: number): void {
    const before = window.size;
    this.heldBytes -= window.trimTo(before - count);
    this.heldRecords -= before - window.size;
  }

  /** Frees the server's oldest record still held; false when nothing is held. */
  private dropOldest(): boolean {
    while (this.takenStart < this.taken.length) {
      const { window, id } = this.taken[this.takenStart]!;
      this.takenStart += 1;
      if (window.firstId !== id) continue; // trimmed with its window already
      this.heldBytes -= window.dropFirst();
      this.heldRecords -= 1;
      if (window.size === 0 && this.windows.get(window.key) === window) {
        this.windows.delete(window.key);
        this.forgotten.set(window.key, window.droppedUpTo);
      }
      return true;
    }
    return false;
  }

  /**
   * `taken` has one entry per record appended until the entry reaches the front; records a window
   * trimmed leave stale entries behind, and entries already dropped stay before `takenStart`.
   * Once either outnumbers what is live, they are removed in one pass, so the queue stays within
   * about twice the records held.
   */
  private compactTaken(): void {
    const entries = this.taken.length - this.takenStart;
    if (entries >= 1024 && entries >= 2 * this.heldRecords) {
      this.taken = this.taken.slice(this.takenStart).filter(({ window, id }) => {
        const first = window.firstId;
        return first !== undefined && id >= first;
      });
      this.takenStart = 0;
    } else if (this.takenStart >= 1024 && this.takenStart * 2 >= this.taken.length) {
      this.taken = this.taken.slice(this.takenStart);
      this.takenStart = 0;
    }
  }
}
