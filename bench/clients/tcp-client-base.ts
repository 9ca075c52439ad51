import { once } from 'node:events';
import net from 'node:net';
import type { BenchClient, ClientKind, ReceiveSink } from './bench-client.js';

/** `YYYY-MM-DD HH:MM:SS ` before the SENDER token of Switchboard's text forms. */
const STAMP_BYTES = 20;
const SPACE = 0x20;
const STAR = 0x2a;
const TILDE = 0x7e;
const ERROR_NOTICE = Buffer.from('error:');
const SLOW_DOWN_NOTICE = Buffer.from('slow down');

function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (buf[start + i] !== prefix[i]) return false;
  return true;
}

/**
 * What the framed and line clients share: one socket, Switchboard's `DATE TIME SENDER TEXT`
 * payload read straight from the received bytes (no regex, no string for non-bench traffic),
 * and the end of the connection noticed. Subclasses only split the byte stream into payloads.
 */
export abstract class TcpBenchClient implements BenchClient {
  abstract readonly kind: ClientKind;
  bytesIn = 0;
  dropped = false;
  protected readonly socket: net.Socket;
  private closing = false;
  private readonly closed: Promise<unknown>;
  /** Settles when the server first speaks (joined) or the connection ends before that. */
  private readonly joined: Promise<void>;
  private markJoined: () => void = () => {};
  private markNeverJoined: (error: Error) => void = () => {};

  constructor(
    readonly index: number,
    port: number,
    private readonly sink: ReceiveSink,
  ) {
    this.joined = new Promise<void>((resolve, reject) => {
      this.markJoined = resolve;
      this.markNeverJoined = reject;
    });
    this.joined.catch(() => undefined);
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', this.onData);
    this.socket.on('error', function ignoreSocketError() {});
    this.closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.once('close', this.onClose);
  }

  /** Resolves once the server has spoken (its welcome notice): the member has joined the room. */
  async connected(): Promise<this> {
    await once(this.socket, 'connect');
    await this.joined;
    return this;
  }

  abstract send(text: string): void;

  setReading(on: boolean): void {
    if (on) this.socket.resume();
    else this.socket.pause();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
    await this.closed;
  }

  /** Splits a chunk into payloads and calls onPayload for each; keeps partial ones. */
  protected abstract split(chunk: Buffer): void;

  /** One payload: `buf[start, end)` without its framing. */
  protected onPayload(buf: Buffer, start: number, end: number): void {
    const senderAt = start + STAMP_BYTES;
    if (buf[senderAt] === STAR && buf[senderAt + 1] === SPACE) {
      // Notices: only refusals matter, and most notices are joins, so compare bytes first.
      const at = senderAt + 2;
      if (startsWith(buf, at, end, ERROR_NOTICE) || startsWith(buf, at, end, SLOW_DOWN_NOTICE)) this.sink.onServerError(this.index, buf.toString('utf8', at, end));
      return;
    }
    const space = buf.indexOf(SPACE, senderAt);
    if (space === -1 || space + 1 >= end || buf[space + 1] !== TILDE) return;
    this.sink.onMarkerBytes(this.index, buf, space + 1, end);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.bytesIn === 0) this.markJoined();
    this.bytesIn += chunk.length;
    this.split(chunk);
  };

  private readonly onClose = (): void => {
    if (!this.closing) this.dropped = true;
    this.markNeverJoined(new Error('connection closed before the server said anything'));
  };
}
