import { once } from 'node:events';
import net from 'node:net';
import type { BenchClient, ReceiveSink } from './bench-client.js';

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;

/**
 * A NATS core client speaking the text protocol directly, subscribed to one subject and
 * publishing to it, so NATS fans out the same texts to the same number of subscribers as
 * Switchboard. `echo: false`: a publisher does not get its own messages, as on Switchboard's
 * TCP ports. The parser is incremental: `MSG <subject> <sid> <len>\r\n<payload>\r\n`, `PING`
 * (answered with `PONG`), `PONG`, `+OK`, `-ERR`, `INFO`.
 */
export class NatsClient implements BenchClient {
  readonly kind = 'nats' as const;
  bytesIn = 0;
  dropped = false;
  private closing = false;
  private readonly socket: net.Socket;
  private readonly closed: Promise<unknown>;
  private pending: Buffer | null = null;
  /** Payload bytes still to read (-1: reading a control line). */
  private payloadLength = -1;
  private pongs: (() => void)[] = [];

  private constructor(
    readonly index: number,
    port: number,
    private readonly subject: string,
    private readonly sink: ReceiveSink,
  ) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', this.onData);
    this.socket.on('error', function ignoreSocketError() {});
    this.closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.once('close', this.onClose);
  }

  /** Connects, subscribes, and resolves once the server confirmed the subscription (PING/PONG). */
  static async connect(index: number, port: number, subject: string, sink: ReceiveSink): Promise<NatsClient> {
    const client = new NatsClient(index, port, subject, sink);
    await once(client.socket, 'connect');
    const ponged = new Promise<void>((resolve) => client.pongs.push(resolve));
    client.socket.write(`CONNECT {"verbose":false,"pedantic":false,"echo":false,"name":"switchboard-bench"}\r\nSUB ${subject} 1\r\nPING\r\n`);
    await ponged;
    return client;
  }

  send(text: string): void {
    this.socket.write(`PUB ${this.subject} ${Buffer.byteLength(text)}\r\n${text}\r\n`);
  }

  /** NATS sends idle subscribers nothing but PINGs: nothing to read in bursts. */
  setReading(): void {}

  async close(): Promise<void> {
    this.closing = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
    await this.closed;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.bytesIn += chunk.length;
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    for (;;) {
      if (this.payloadLength >= 0) {
        const end = offset + this.payloadLength;
        if (end + 2 > buf.length) break;
        this.sink.onMarkerBytes(this.index, buf, offset, end);
        offset = end + 2;
        this.payloadLength = -1;
        continue;
      }
      const lf = buf.indexOf(LF, offset);
      if (lf === -1) break;
      this.onControlLine(buf, offset, buf[lf - 1] === CR ? lf - 1 : lf);
      offset = lf + 1;
    }
    this.pending = offset === buf.length ? null : Buffer.from(buf.subarray(offset));
  };

  private onControlLine(buf: Buffer, start: number, end: number): void {
    const first = buf[start];
    if (first === 0x4d /* M */) {
      // MSG <subject> <sid> [reply-to] <#bytes>: the length is the last token.
      let length = 0;
      let scale = 1;
      for (let i = end - 1; i > start && buf[i] !== SPACE; i -= 1) {
        length += (buf[i]! - 0x30) * scale;
        scale *= 10;
      }
      this.payloadLength = length;
      return;
    }
    const line = buf.toString('latin1', start, end);
    if (line === 'PING') this.socket.write('PONG\r\n');
    else if (line === 'PONG') this.pongs.shift()?.();
    else if (line.startsWith('-ERR')) this.sink.onServerError(this.index, line);
  }

  private readonly onClose = (): void => {
    if (!this.closing) this.dropped = true;
    for (const resolve of this.pongs.splice(0)) resolve();
  };
}
