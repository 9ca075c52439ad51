import { once } from 'node:events';
import net from 'node:net';
import { START_ROOM } from '../rooms.js';
import type { BenchClient, ClientKind, ReceiveSink } from './bench-client.js';

/** `YYYY-MM-DD HH:MM:SS ` before the SENDER token of Switchboard's text forms. */
const STAMP_BYTES = 20;
const SPACE = 0x20;
const STAR = 0x2a;
const OPEN_BRACKET = 0x5b;
const TILDE = 0x7e;
/** `***`: the SENDER token of server notices (docs/protocol.md, Server → client payload). */
const NOTICE_TOKEN_BYTES = 3;
/** In another room's form, `[#room] NAME: TEXT`, what ends NAME before a bench text. */
const NAME_END_BEFORE_MARKER = Buffer.from(': ~');
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
  /** The command() under way: the notice it waits for, and the last notice seen meanwhile. */
  private reply: { prefix: Buffer; resolve: (text: string) => void; lastNotice: string } | null = null;

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

  /**
   * Sends a command (`/join #x`) and resolves with the text of the first `***` notice that starts
   * with `replyPrefix` (`you joined `): the server has carried it out. One at a time; rejects after
   * `timeoutMs` (naming the last notice seen, a refusal most likely) or when the connection ends.
   */
  async command(text: string, replyPrefix: string, timeoutMs = 10_000): Promise<string> {
    if (this.reply !== null) throw new Error(`client ${this.index}: a command is already waiting for its reply`);
    const waiting = new Promise<string>((resolve) => (this.reply = { prefix: Buffer.from(replyPrefix), resolve, lastNotice: '' }));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`client ${this.index}: no "${replyPrefix}…" after ${text} within ${timeoutMs} ms; last notice: ${this.reply?.lastNotice ?? 'none'}`)), timeoutMs);
    });
    const ended = this.closed.then(() => Promise.reject(new Error(`client ${this.index}: connection closed waiting for the reply to ${text}`)));
    try {
      this.send(text);
      return await Promise.race([waiting, deadline, ended]);
    } finally {
      clearTimeout(timer);
      this.reply = null;
    }
  }

  /** `/join ROOM`, then `/part` of the start room: plain lines (bench sends) then go to ROOM only. */
  async enterRoom(room: string): Promise<void> {
    await this.command(`/join ${room}`, `you joined ${room} `);
    await this.command(`/part ${START_ROOM}`, `you left ${START_ROOM};`);
  }

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

  /**
   * One payload, `buf[start, end)` without its framing: `DATE TIME SENDER TEXT`. The SENDER token
   * says what it is (docs/protocol.md): a nickname (chat in the current room: a delivery when the
   * text is a bench marker), `***` (a server notice: only refusals matter), `[#room]` (chat in
   * another of this member's rooms, `NAME: TEXT`: a delivery too, which the tracker checks
   * against the rooms the run put sender and receiver in), `*` (an action) or `*NAME*` (a direct
   * message), which the bench never sends. Bytes are compared before any string is made.
   */
  protected onPayload(buf: Buffer, start: number, end: number): void {
    const senderAt = start + STAMP_BYTES;
    const space = buf.indexOf(SPACE, senderAt);
    if (space === -1 || space + 1 >= end) return;
    const textAt = space + 1;
    if (buf[textAt] === TILDE) {
      this.sink.onMarkerBytes(this.index, buf, textAt, end);
      return;
    }
    if (space - senderAt === NOTICE_TOKEN_BYTES && buf[senderAt] === STAR && buf[senderAt + 1] === STAR && buf[senderAt + 2] === STAR) {
      this.onNotice(buf, textAt, end);
      return;
    }
    if (buf[senderAt] === OPEN_BRACKET) {
      const nameEnd = buf.indexOf(NAME_END_BEFORE_MARKER, textAt);
      if (nameEnd !== -1 && nameEnd + NAME_END_BEFORE_MARKER.length <= end) this.sink.onMarkerBytes(this.index, buf, nameEnd + 2, end);
    }
  }

  /**
   * A `***` notice's text, `buf[start, end)`: the reply a command() waits for; refusals go to the
   * sink (most notices are presence).
   */
  protected onNotice(buf: Buffer, start: number, end: number): void {
    const reply = this.reply;
    if (reply !== null) {
      reply.lastNotice = buf.toString('utf8', start, end);
      if (startsWith(buf, start, end, reply.prefix)) reply.resolve(reply.lastNotice);
    }
    if (startsWith(buf, start, end, ERROR_NOTICE) || startsWith(buf, start, end, SLOW_DOWN_NOTICE)) this.sink.onServerError(this.index, buf.toString('utf8', start, end));
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
