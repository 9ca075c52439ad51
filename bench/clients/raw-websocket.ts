import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A minimal RFC 6455 client for the load generator: the upgrade, masked frames out, unmasked
 * frames read straight off the socket's chunks (no per-message event, copy or UTF-8 check),
 * pings answered. A full client (`ws`) costs the generator about four times as much per
 * received message, which made the generator, not the server, the limit. Both WebSocket
 * servers under test (Switchboard's /ws and Socket.IO) are read through this same code.
 * No extensions (permessage-deflate is off on both servers).
 */
export abstract class RawWebSocket {
  bytesIn = 0;
  dropped = false;
  protected readonly socket: net.Socket;
  private readonly mask = randomBytes(4);
  private readonly key = randomBytes(16).toString('base64');
  private upgraded = false;
  private closing = false;
  private pending: Buffer | null = null;
  private fragments: Buffer[] = [];
  private readonly closed: Promise<unknown>;
  private readonly opened: Promise<void>;
  private resolveOpen: () => void = () => {};
  private rejectOpen: (error: Error) => void = () => {};

  constructor(port: number, path: string) {
    this.opened = new Promise<void>((resolve, reject) => {
      this.resolveOpen = resolve;
      this.rejectOpen = reject;
    });
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', this.onData);
    this.socket.on('error', (error) => this.rejectOpen(error));
    this.closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.once('close', this.onClose);
    this.socket.once('connect', () => {
      this.socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** Resolves once the server has answered 101 with the right Sec-WebSocket-Accept. */
  open(): Promise<void> {
    return this.opened;
  }

  /** One text message's payload, `buf[start, end)`; valid only during the call. */
  protected abstract onText(buf: Buffer, start: number, end: number): void;

  sendText(text: string): void {
    const length = Buffer.byteLength(text);
    const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(headerBytes + 4 + length);
    frame[0] = 0x80 | OPCODE_TEXT;
    if (length < 126) {
      frame[1] = 0x80 | length;
    } else if (length < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    this.mask.copy(frame, headerBytes);
    const start = headerBytes + 4;
    frame.write(text, start, 'utf8');
    for (let i = 0; i < length; i += 1) frame[start + i]! ^= this.mask[i & 3]!;
    this.socket.write(frame);
  }

  setReading(on: boolean): void {
    if (on) this.socket.resume();
    else this.socket.pause();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.socket.destroyed) this.socket.write(this.controlFrame(OPCODE_CLOSE, Buffer.from([0x03, 0xe8])));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
    await this.closed;
  }

  private controlFrame(opcode: number, payload: Buffer): Buffer {
    const frame = Buffer.allocUnsafe(6 + payload.length);
    frame[0] = 0x80 | opcode;
    frame[1] = 0x80 | payload.length;
    this.mask.copy(frame, 2);
    for (let i = 0; i < payload.length; i += 1) frame[6 + i] = payload[i]! ^ this.mask[i & 3]!;
    return frame;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.bytesIn += chunk.length;
    let buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.upgraded) {
      const end = buf.indexOf(HEADER_END);
      if (end === -1) {
        this.pending = buf;
        return;
      }
      if (!this.checkUpgrade(buf.toString('latin1', 0, end))) return;
      buf = buf.subarray(end + HEADER_END.length);
    }
    this.pending = null;
    const rest = this.readFrames(buf);
    if (rest < buf.length) this.pending = Buffer.from(buf.subarray(rest));
  };

  private checkUpgrade(head: string): boolean {
    const expected = createHash('sha1').update(this.key + WS_GUID).digest('base64');
    if (!head.startsWith('HTTP/1.1 101') || !head.toLowerCase().includes(`sec-websocket-accept: ${expected.toLowerCase()}`)) {
      this.rejectOpen(new Error(`websocket upgrade refused: ${head.split('\r\n')[0]}`));
      this.socket.destroy();
      return false;
    }
    this.upgraded = true;
    this.resolveOpen();
    return true;
  }

  /** Reads every whole frame in `buf`; returns where the first incomplete one starts. */
  private readFrames(buf: Buffer): number {
    let offset = 0;
    while (buf.length - offset >= 2) {
      const first = buf[offset]!;
      let length = buf[offset + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - offset < 4) break;
        length = buf.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - offset < 10) break;
        length = Number(buf.readBigUInt64BE(offset + 2));
        header = 10;
      }
      const start = offset + header;
      const end = start + length;
      if (end > buf.length) break;
      this.onFrame(first & 0x80, first & 0x0f, buf, start, end);
      offset = end;
    }
    return offset;
  }

  private onFrame(fin: number, opcode: number, buf: Buffer, start: number, end: number): void {
    if (opcode === OPCODE_PING) {
      this.socket.write(this.controlFrame(0xa, buf.subarray(start, end)));
      return;
    }
    if (opcode === OPCODE_CLOSE) {
      this.socket.end();
      return;
    }
    if (opcode !== OPCODE_TEXT && opcode !== OPCODE_CONTINUATION) return;
    if (fin !== 0 && this.fragments.length === 0) {
      this.onText(buf, start, end);
      return;
    }
    this.fragments.push(Buffer.from(buf.subarray(start, end)));
    if (fin === 0) return;
    const whole = Buffer.concat(this.fragments);
    this.fragments = [];
    this.onText(whole, 0, whole.length);
  }

  private readonly onClose = (): void => {
    if (!this.closing) this.dropped = true;
    this.rejectOpen(new Error('connection closed before the websocket opened'));
  };
}
