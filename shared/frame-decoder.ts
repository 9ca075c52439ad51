import { FrameTooLargeError, type InputBudgetError, InvalidUtf8Error } from './errors.js';
import { type EvictionListener, InputBuffer } from './input-buffer.js';
import type { InputBudget } from './input-budget.js';
import { DEFAULT_MAX_PAYLOAD, FRAME_HEADER_BYTES } from './limits.js';

/** One shared decoder: without `stream: true` each decode() call is independent, so every connection can use it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** States of the decoder; named so a stuck connection can be diagnosed from a log line. */
export type FrameDecoderState = 'header' | 'body' | 'failed';

export interface FrameDecoderOptions {
  /** Largest accepted body in bytes; checked as soon as the 4 header bytes are in. */
  maxPayload?: number;
  /** The server-wide budget for unfinished input; none (a client, a test) = unbudgeted. */
  budget?: InputBudget;
  /**
   * Told when the budget took this decoder's memory to make room for another connection's input:
   * the decoder is failed and holds nothing; the listener closes the connection with the error.
   */
  evictionListener?: EvictionListener;
}

/** Called once per whole, valid payload, in wire order. Empty frames (keepalives) are not reported. */
export type PayloadSink = (payload: string) => void;

/**
 * Incremental decoder for the framed protocol: a 4-byte big-endian length, then that many bytes of
 * UTF-8. It holds no socket: feed it chunks as they arrive, in any sizes, and it calls the sink for
 * each whole payload. The length limit is enforced before any body byte is buffered, so a hostile
 * header costs nothing. On the first error it throws a typed error (after delivering every payload
 * that preceded it) and stays failed: the connection's owner closes the connection.
 *
 * Whole frames are decoded straight from the chunk they arrive in; only the unfinished header or
 * body at a chunk's end is copied, into one growable buffer (see InputBuffer), never kept as the
 * chunks themselves.
 */
export class FrameDecoder implements EvictionListener {
  private readonly maxPayload: number;
  private readonly sink: PayloadSink;
  private readonly pending: InputBuffer;
  private readonly evictionListener: EvictionListener | undefined;
  /** Bytes the current unit needs: the header's 4, then the announced body length. */
  private needed = FRAME_HEADER_BYTES;
  private current: FrameDecoderState = 'header';

  constructor(sink: PayloadSink, options: FrameDecoderOptions = {}) {
    this.sink = sink;
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    this.evictionListener = options.evictionListener;
    this.pending = new InputBuffer(Math.max(FRAME_HEADER_BYTES, this.maxPayload), options.budget, this);
  }

  get state(): FrameDecoderState {
    return this.current;
  }

  /** Bytes received but not yet part of a whole frame (a slow or truncated sender shows here). */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /** Memory held for those bytes: at most about twice pendingBytes, and 0 between frames. */
  get heldBytes(): number {
    return this.pending.held;
  }

  /**
   * Feed one chunk. Throws FrameTooLargeError, InvalidUtf8Error or InputBudgetError; the decoder
   * is then failed and holds nothing.
   */
  push(chunk: Uint8Array): void {
    if (this.current === 'failed') return;
    try {
      let offset = 0;
      while (offset < chunk.length) {
        const held = this.pending.length;
        const want = this.needed - held;
        if (held === 0 && chunk.length - offset >= want) {
          this.complete(chunk.subarray(offset, offset + want));
          offset += want;
          continue;
        }
        const take = Math.min(want, chunk.length - offset);
        this.pending.append(chunk.subarray(offset, offset + take));
        offset += take;
        if (this.pending.length < this.needed) return;
        const unit = this.pending.view();
        try {
          this.complete(unit);
        } finally {
          this.pending.clear();
        }
      }
    } catch (error) {
      this.close();
      this.current = 'failed';
      throw error;
    }
  }

  /** The connection ended: whatever was held is let go (and given back to the budget). */
  close(): void {
    this.pending.clear();
  }

  /** The budget took this decoder's memory (see InputBuffer.evict): fail, and pass the news on. */
  inputEvicted(error: InputBudgetError): void {
    this.current = 'failed';
    this.evictionListener?.inputEvicted(error);
  }

  /** A whole header or body (`unit` is exactly `needed` bytes). */
  private complete(unit: Uint8Array): void {
    if (this.current === 'header') {
      const length = ((unit[0]! << 24) >>> 0) + (unit[1]! << 16) + (unit[2]! << 8) + unit[3]!;
      if (length > this.maxPayload) throw new FrameTooLargeError(length, this.maxPayload);
      if (length === 0) return;
      this.needed = length;
      this.current = 'body';
      return;
    }
    this.current = 'header';
    this.needed = FRAME_HEADER_BYTES;
    let text: string;
    try {
      text = utf8.decode(unit);
    } catch (cause) {
      throw new InvalidUtf8Error({ cause });
    }
    this.sink(text);
  }
}
