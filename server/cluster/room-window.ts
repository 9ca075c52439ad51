import type { HistoryRecord, HistorySlice, HistoryWindow } from '../history/history-store.js';

/** Bookkeeping per record on top of its strings (object, array slot, queue entry): an estimate. */
export const RECORD_OVERHEAD_BYTES = 160;

/** What a record holds in memory, about: its strings (UTF-16) and the object around them. */
export function recordBytes(record: HistoryRecord): number {
  return 2 * (record.text.length + record.from.length) + RECORD_OVERHEAD_BYTES;
}

/**
 * The newest records of one room that this instance holds in memory (`--redis`), oldest first,
 * ids increasing. Reads are the HistoryStore's reads for that room. Records leave from the front
 * only (the window is trimmed, or the mirror needs the memory), so the front is an offset moved
 * on (the slot cleared, so the record can be collected), and the array is compacted once half of
 * it is behind the offset: no shift per record.
 */
export class RoomWindow {
  /** Slots before `start` are cleared (undefined); from `start` on every slot holds a record. */
  private records: (HistoryRecord | undefined)[] = [];
  /** The room's key, where the mirror files this window. */
  readonly key: string;
  private start = 0;
  /** Sum of recordBytes over the records held. */
  bytes = 0;
  /** The newest id this room had that is no longer held (0: none was dropped). */
  droppedUpTo = 0;

  constructor(key: string) {
    this.key = key;
  }

  get size(): number {
    return this.records.length - this.start;
  }

  /** Id of the oldest record held (undefined when empty). */
  get firstId(): number | undefined {
    return this.records[this.start]?.id;
  }

  /** Id of the newest record held (0 when empty). */
  get lastId(): number {
    return this.size === 0 ? 0 : this.records.at(-1)!.id;
  }

  push(record: HistoryRecord): void {
    this.records.push(record);
    this.bytes += recordBytes(record);
  }

  /** Records loaded at start-up, oldest first, before any push. */
  fill(records: HistoryRecord[]): void {
    this.records = records;
    this.start = 0;
    this.bytes = records.reduce((sum, record) => sum + recordBytes(record), 0);
  }

  /** Drops the oldest records past `keep`; returns the bytes freed. */
  trimTo(keep: number): number {
    let freed = 0;
    while (this.size > keep) freed += this.dropFirst();
    return freed;
  }

  /** Drops the oldest record; returns the bytes freed (0 when empty). */
  dropFirst(): number {
    const record = this.records[this.start];
    if (record === undefined) return 0;
    this.records[this.start] = undefined;
    this.start += 1;
    this.droppedUpTo = record.id;
    const freed = recordBytes(record);
    this.bytes -= freed;
    if (this.start > 64 && this.start * 2 > this.records.length) {
      this.records = this.records.slice(this.start);
      this.start = 0;
    }
    return freed;
  }

  recent(limit: number): HistorySlice {
    const from = Math.max(this.start, this.records.length - limit);
    return { records: this.held(from, this.records.length), more: from > this.start };
  }

  before(before: number, limit: number): HistorySlice {
    const end = this.firstIndexAtOrAbove(before);
    const from = Math.max(this.start, end - limit);
    return { records: this.held(from, end), more: from > this.start };
  }

  after(after: number, limit: number): HistoryRecord[] {
    const from = this.firstIndexAtOrAbove(after + 1);
    return this.held(from, from + limit);
  }

  /** See HistoryStore.recentWindow; `newestId` is where an empty window starts (the server's newest id). */
  recentWindow(limit: number, newestId: number): HistoryWindow {
    const from = Math.max(this.start, this.records.length - limit);
    const first = this.records[from];
    return { after: first === undefined ? newestId : first.id - 1, count: this.records.length - from, more: from > this.start };
  }

  countAfter(after: number, limit: number): number {
    return Math.min(limit, this.records.length - this.firstIndexAtOrAbove(after + 1));
  }

  /** Records from index `from` (at or past `start`) to `end`: every slot there holds one. */
  private held(from: number, end: number): HistoryRecord[] {
    return this.records.slice(from, end) as HistoryRecord[];
  }

  /** Binary search over the records held: ids are increasing. */
  private firstIndexAtOrAbove(id: number): number {
    let low = this.start;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid]!.id < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
