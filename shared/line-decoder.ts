import { InvalidUtf8Error, LineTooLongError } from './errors.js';
import { DEFAULT_MAX_PAYLOAD } from './limits.js';

/** One shared decoder: without `stream: true` each decode() call is independent, so every connection can use it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface LineDecoderOptions {
  /** Longest accepted line in bytes, not counting its CR/LF terminator. */
  maxLine?: number;
}

export type LineSink = (line: string) => void;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Incremental decoder for the line port: each LF- or CRLF-terminated line is one message. Like the
 * frame decoder it holds no socket; it throws LineTooLongError as soon as an unterminated line
 * passes the limit (so a client that never sends a newline cannot grow memory), and
 * InvalidUtf8Error for a line that is not UTF-8. After an error it ignores further input.
 */
export class LineDecoder {
  private readonly maxLine: number;
  private readonly sink: LineSink;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private failed = false;

  constructor(sink: LineSink, options: LineDecoderOptions = {}) {
    this.sink = sink;
    this.maxLine = options.maxLine ?? DEFAULT_MAX_PAYLOAD;
  }

  get pendingBytes(): number {
    return this.buffered;
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
        if (this.buffered + rest.length > this.maxLine + 1) throw new LineTooLongError(this.maxLine);
        this.chunks.push(rest);
        this.buffered += rest.length;
      }
    } catch (error) {
      this.failed = true;
      this.chunks = [];
      this.buffered = 0;
      throw error;
    }
  }

  /** At end of input: an unterminated last line still counts as a line (`printf hi | nc`). */
  end(): void {
    if (this.failed || this.buffered === 0) return;
    try {
      this.emit(new Uint8Array(0), false);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  private emit(tail: Uint8Array, terminated: boolean): void {
    let line = tail;
    if (this.buffered > 0) {
      line = new Uint8Array(this.buffered + tail.length);
      let offset = 0;
      for (const part of this.chunks) {
        line.set(part, offset);
        offset += part.length;
      }
      line.set(tail, offset);
      this.chunks = [];
      this.buffered = 0;
    }
    if (terminated && line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1);
    if (line.length > this.maxLine) throw new LineTooLongError(this.maxLine);
    let text: string;
    try {
      text = utf8.decode(line);
    } catch (cause) {
      throw new InvalidUtf8Error({ cause });
    }
    this.sink(text);
  }
}
