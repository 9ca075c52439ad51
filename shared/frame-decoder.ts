import { FrameTooLargeError, InvalidUtf8Error } from './errors.js';
import { DEFAULT_MAX_PAYLOAD, FRAME_HEADER_BYTES } from './limits.js';

/** One shared decoder: without `stream: true` each decode() call is independent, so every connection can use it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** States of the decoder; named so a stuck connection can be diagnosed from a log line. */
export type FrameDecoderState = 'header' | 'body' | 'failed';

export interface FrameDecoderOptions {
  /** Largest accepted body in bytes; checked as soon as the 4 header bytes are in. */
  maxPayload?: number;
}

/** Called once per whole, valid payload, in wire order. Empty frames (keepalives) are not reported. */
export type PayloadSink = (payload: string) => void;

/**
 * Incremental decoder for the framed protocol: a 4-byte big-endian length, then that many bytes of
 * UTF-8. It holds no socket: feed it chunks as they arrive, in any sizes, and it calls the sink for
 * each whole payload. The length limit is enforced before any body byte is buffered, so a hostile
 * header costs nothing. On the first error it throws a typed error (after delivering every payload
 * that preceded it) and stays failed: the connection's owner closes the connection.
 */
export class FrameDecoder {
  private readonly maxPayload: number;
  private readonly sink: PayloadSink;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private expected = 0;
  private current: FrameDecoderState = 'header';

  constructor(sink: PayloadSink, options: FrameDecoderOptions = {}) {
    this.sink = sink;
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  }

  get state(): FrameDecoderState {
    return this.current;
  }

  /** Bytes received but not yet part of a whole frame (a slow or truncated sender shows here). */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Feed one chunk. Throws FrameTooLargeError or InvalidUtf8Error; the decoder is then failed. */
  push(chunk: Uint8Array): void {
    if (this.current === 'failed') return;
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      this.drain();
    } catch (error) {
      this.current = 'failed';
      this.chunks = [];
      this.buffered = 0;
      throw error;
    }
  }

  private drain(): void {
    for (;;) {
      if (this.current === 'header') {
        if (this.buffered < FRAME_HEADER_BYTES) return;
        const header = this.take(FRAME_HEADER_BYTES);
        const length =
          ((header[0]! << 24) >>> 0) + (header[1]! << 16) + (header[2]! << 8) + header[3]!;
        if (length > this.maxPayload) throw new FrameTooLargeError(length, this.maxPayload);
        if (length === 0) continue;
        this.expected = length;
        this.current = 'body';
      }
      if (this.buffered < this.expected) return;
      const body = this.take(this.expected);
      this.current = 'header';
      this.expected = 0;
      let text: string;
      try {
        text = utf8.decode(body);
      } catch (cause) {
        throw new InvalidUtf8Error({ cause });
      }
      this.sink(text);
    }
  }

  /** Removes n buffered bytes (n ≤ buffered); a view when they sit in one chunk, else a copy. */
  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    this.buffered -= n;
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const need = n - filled;
      if (head.length <= need) {
        out.set(head, filled);
        filled += head.length;
        this.chunks.shift();
      } else {
        out.set(head.subarray(0, need), filled);
        this.chunks[0] = head.subarray(need);
        filled += need;
      }
    }
    return out;
  }
}
