import { InputBudgetError } from './errors.js';
import type { BudgetHolder, InputBudget } from './input-budget.js';

const EMPTY = new Uint8Array(0);
/** First allocation: a short line or a frame header fits, and tiny reads do not reallocate. */
const MIN_CAPACITY = 64;

/** Who is told when the budget takes a buffer's memory away: the decoder that owns it. */
export interface EvictionListener {
  inputEvicted(error: InputBudgetError): void;
}

/**
 * The unfinished part of a connection's input, in one growable array. Sockets hand over every read
 * as its own Buffer; keeping those would cost ~160 bytes of memory per byte for a sender that
 * writes one byte per TCP segment. Here the bytes are copied into one array that grows to the next
 * power of two (amortized O(1) per byte) and is let go when emptied, so the memory held stays under
 * 2× the bytes held (64 bytes at least), and a connection between messages holds none.
 *
 * With a budget, every change of capacity is asked of it (growth) or reported to it (release); the
 * buffer is itself the budget's holder, so a connection costs no extra object for it.
 */
export class InputBuffer implements BudgetHolder {
  private bytes: Uint8Array = EMPTY;
  private used = 0;
  /** Longest content this buffer will ever need (header + largest body, or longest line + CR). */
  private readonly maxLength: number;
  private readonly budget: InputBudget | undefined;
  private readonly listener: EvictionListener | undefined;

  constructor(maxLength: number, budget?: InputBudget, listener?: EvictionListener) {
    this.maxLength = maxLength;
    this.budget = budget;
    this.listener = listener;
  }

  get length(): number {
    return this.used;
  }

  /** Bytes allocated: what the budget counts. */
  get held(): number {
    return this.bytes.length;
  }

  /** Appends a copy of `chunk`. Throws InputBudgetError if the budget refuses the growth. */
  append(chunk: Uint8Array): void {
    const needed = this.used + chunk.length;
    if (needed > this.bytes.length) this.grow(needed);
    this.bytes.set(chunk, this.used);
    this.used = needed;
  }

  /** The content, as a view valid until the next append or clear. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.used);
  }

  /** Empties the buffer and lets its memory go (back to the budget). */
  clear(): void {
    this.used = 0;
    const released = this.bytes.length;
    if (released === 0) return;
    this.bytes = EMPTY;
    this.budget?.release(this, released);
  }

  /** Called by the budget, which has already stopped counting this buffer. */
  evict(): void {
    this.used = 0;
    this.bytes = EMPTY;
    this.listener?.inputEvicted(new InputBudgetError());
  }

  /**
   * To the next power of two (so capacity < 2 × length), never past what the buffer can need.
   * That power is 2 to the bit length of `needed - 1`, computed without a loop (exact up to 2³²,
   * far beyond any limit this server takes; past it, `capacity` is still at least `needed`).
   */
  private grow(needed: number): void {
    const doubled = Math.max(MIN_CAPACITY, 2 ** (32 - Math.clz32(needed - 1)));
    const capacity = Math.max(needed, Math.min(doubled, this.maxLength));
    if (this.budget !== undefined && !this.budget.grant(this, capacity - this.bytes.length)) throw new InputBudgetError();
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}
