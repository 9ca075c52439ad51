import type { HistoryRecord, HistorySlice, HistoryStore } from '../history/history-store.js';

/**
 * History in a shared room (`--redis`): the Redis stream is the store every instance appends to;
 * this is each instance's copy of its newest `window` records, filled from the stream as they
 * are delivered. The room's replay, page resume and `GET /history` read it synchronously, as they
 * read SQLite without `--redis`, and they see exactly what this instance delivered: nothing can
 * fall between a replay and live traffic. Older messages stay in Redis but are not served.
 */
export class MirrorHistory implements HistoryStore {
  private records: HistoryRecord[] = [];
  private currentEpoch: string;
  private readonly window: number;

  constructor(epoch: string, window: number) {
    this.currentEpoch = epoch;
    this.window = window;
  }

  get epoch(): string {
    return this.currentEpoch;
  }

  get lastId(): number {
    return this.records.at(-1)?.id ?? 0;
  }

  /** Records arrive in id order from the stream; a repeat (a re-read after reconnect) is dropped. */
  append(record: HistoryRecord): void {
    if (record.id <= this.lastId) return;
    this.records.push(record);
    // Trim in steps of a tenth, so a full window does not shift the array on every message.
    if (this.records.length > this.window + Math.ceil(this.window / 10)) this.records = this.records.slice(-this.window);
  }

  /** Redis lost the history: a new epoch, and ids start over. */
  replace(epoch: string, records: HistoryRecord[]): void {
    this.currentEpoch = epoch;
    this.records = records.slice(-this.window);
  }

  commit(): void {
    // Redis holds the records already: nothing is buffered here.
  }

  recent(limit: number): HistorySlice {
    const start = Math.max(0, this.records.length - limit);
    return { records: this.records.slice(start), more: start > 0 };
  }

  before(before: number, limit: number): HistorySlice {
    const end = this.firstIndexAtOrAbove(before);
    const start = Math.max(0, end - limit);
    return { records: this.records.slice(start, end), more: start > 0 };
  }

  after(after: number, limit: number): HistoryRecord[] {
    const start = this.firstIndexAtOrAbove(after + 1);
    return this.records.slice(start, start + limit);
  }

  prune(): number {
    return 0;
  }

  close(): void {
    this.records = [];
  }

  /** Binary search: ids are increasing. */
  private firstIndexAtOrAbove(id: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid]!.id < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
