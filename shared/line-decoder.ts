import { type InputBudgetError, InvalidUtf8Error, LineTooLongError } from './errors.js';
import { type EvictionListener, InputBuffer } from './input-buffer.js';
import type { InputBudget } from './input-budget.js';
import { DEFAULT_MAX_PAYLOAD } from './limits.js';

/** One shared decoder: without `stream: true` each decode() call is independent, so every connection can use it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface LineDecoderOptions {
  /** Longest accepted line in bytes, not counting its CR/LF terminator. */
  maxLine?: number;
  /** The server-wide budget for unfinished input; none (a client, a test) = unbudgeted. */
  budget?: InputBudget;
  /** Told when the budget took this decoder's memory for another connection's input (see FrameDecoder). */
  evictionListener?: EvictionListener;
}

export type LineSink = (line: string) => void;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Incremental decoder for the line port: each LF- or CRLF-terminated line is one message. Like the
 * frame decoder it holds no socket; it throws LineTooLongError as soon as an unterminated line
 * passes the limit (so a client that never sends a newline cannot grow memory), and
 * InvalidUtf8Error for a line that is not UTF-8. After an error it ignores further input.
 *
 * Whole lines are decoded straight from the chunk they arrive in; only an unterminated line at a
 * chunk's end is copied, into one growable buffer (see InputBuffer).
 */
export class LineDecoder implements EvictionListener {
  private readonly maxLine: number;
  private readonly sink: LineSink;
  private readonly pending: InputBuffer;
  private readonly evictionListener: EvictionListener | undefined;
  private failed = false;

  constructor(sink: LineSink, options: LineDecoderOptions = {}) {
    this.sink = sink;
    this.maxLine = options.maxLine ?? DEFAULT_MAX_PAYLOAD;
    this.evictionListener = options.evictionListener;
    // One extra byte for a CR still to be followed by its LF.
    this.pending = new InputBuffer(this.maxLine + 1, options.budget, this);
  }

  get pendingBytes(): number {
    return this.pending.length;
  }

  /** Memory held for the unterminated line: at most about twice pendingBytes, and 0 between lines. */
  get heldBytes(): number {
    return this.pending.held;
  }

  push(chunk: Uint8Array): void {
    if (this.failed || chunk.length === 0) return;
    try {
      let start = 0;
      for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, start)) {
        this.emit(chunk.subarray(start, i), true);
        start = i + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        // The limit counts the line's own bytes; one extra byte is allowed for a CR still to be
        // followed by its LF.
        if (this.pending.length + rest.length > this.maxLine + 1) throw new LineTooLongError(this.maxLine);
        this.pending.append(rest);
      }
    } catch (error) {
      this.failed = true;
      this.close();
      throw error;
    }
  }

  /** At end of input: an unterminated last line still counts as a line (`printf hi | nc`). */
  end(): void {
    if (this.failed || this.pending.length === 0) return;
    try {
      this.emit(new Uint8Array(0), false);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** The connection ended: whatever was held is let go (and given back to the budget). */
  close(): void {
    this.pending.clear();
  }

  /** The budget took this decoder's memory (see InputBuffer.evict): fail, and pass the news on. */
  inputEvicted(error: InputBudgetError): void {
    this.failed = true;
    this.evictionListener?.inputEvicted(error);
  }

  private emit(tail: Uint8Array, terminated: boolean): void {
    let line = tail;
    if (this.pending.length > 0) {
      if (this.pending.length + tail.length > this.maxLine + 1) throw new LineTooLongError(this.maxLine);
      this.pending.append(tail);
      line = this.pending.view();
    }
    try {
      if (terminated && line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1);
      if (line.length > this.maxLine) throw new LineTooLongError(this.maxLine);
      let text: string;
      try {
        text = utf8.decode(line);
      } catch (cause) {
        throw new InvalidUtf8Error({ cause });
      }
      this.sink(text);
    } finally {
      this.pending.clear();
    }
  }
}
