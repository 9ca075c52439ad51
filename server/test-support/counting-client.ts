import { once } from 'node:events';
import net from 'node:net';
import { WebSocket } from 'ws';
import type { ServerEvent } from '../../shared/events.js';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { LineDecoder } from '../../shared/line-decoder.js';
import { formatClientPayload, parseServerPayload } from '../../shared/payload.js';
import { onceWithin, within } from './deadline.js';

export type Kind = 'tcp' | 'line' | 'ws';

/**
 * A load-test peer that keeps no history: it counts chat messages of the form `TAG SENDER SEQ`
 * and checks, per sender, that sequence numbers arrive in order without gaps. Used by the soak
 * test and the slow-consumer test, where storing millions of payloads would measure the test
 * rather than the server.
 */
export class CountingClient {
  readonly kind: Kind;
  received = 0;
  bytesIn = 0;
  readonly nextSeq = new Map<string, number>();
  readonly problems: string[] = [];
  closed: Promise<void>;
  private socket: net.Socket | undefined;
  private ws: WebSocket | undefined;
  private readonly tag: string;
  private readonly chunking: (() => number) | undefined;

  private constructor(kind: Kind, tag: string, chunking?: () => number) {
    this.kind = kind;
    this.tag = tag;
    this.chunking = chunking;
    this.closed = Promise.resolve();
  }

  /** `chunking`, for framed clients: returns the next chunk size to split writes into. */
  static async connect(kind: Kind, port: number, tag: string, chunking?: () => number): Promise<CountingClient> {
    const client = new CountingClient(kind, tag, chunking);
    if (kind === 'ws') {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
      client.ws = ws;
      ws.on('error', () => undefined);
      ws.on('message', (data: Buffer) => {
        client.bytesIn += data.length;
        const event = JSON.parse(data.toString('utf8')) as ServerEvent;
        if (event.type === 'message' && event.self !== true) client.count(event.text);
      });
      client.closed = once(ws, 'close').then(() => undefined);
      await onceWithin(ws, 'open', 30_000);
      return client;
    }
    const socket = net.connect(port, '127.0.0.1');
    client.socket = socket;
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const onText = (payload: string) => {
      const parsed = parseServerPayload(payload);
      if (parsed !== null && parsed.sender !== '*') client.count(parsed.text);
    };
    const decoder = kind === 'tcp' ? new FrameDecoder(onText, { maxPayload: 1 << 24 }) : new LineDecoder(onText, { maxLine: 1 << 24 });
    socket.on('data', (chunk: Buffer) => {
      client.bytesIn += chunk.length;
      decoder.push(chunk);
    });
    client.closed = once(socket, 'close').then(() => undefined);
    await onceWithin(socket, 'connect', 30_000);
    return client;
  }

  private count(text: string): void {
    if (!text.startsWith(this.tag)) return;
    this.received += 1;
    const firstSpace = text.indexOf(' ', this.tag.length + 1);
    const sender = text.slice(this.tag.length + 1, firstSpace);
    const seq = Number.parseInt(text.slice(firstSpace + 1), 10);
    const expected = this.nextSeq.get(sender) ?? 0;
    if (seq !== expected && this.problems.length < 10) this.problems.push(`from ${sender}: got ${seq}, expected ${expected}`);
    this.nextSeq.set(sender, seq + 1);
  }

  /** Sends `TAG SENDER SEQ[ padding]` in this client's wire form. */
  send(sender: string, seq: number, padding = ''): void {
    const text = `${this.tag} ${sender} ${seq}${padding}`;
    if (this.ws !== undefined) {
      this.ws.send(JSON.stringify({ type: 'send', text }));
      return;
    }
    const socket = this.socket!;
    if (this.kind === 'line') {
      socket.write(`${text}\n`);
      return;
    }
    const frame = encodeFrame(formatClientPayload(Date.now(), text));
    if (this.chunking === undefined) {
      socket.write(frame);
      return;
    }
    for (let offset = 0; offset < frame.length; ) {
      const size = Math.max(1, this.chunking());
      socket.write(frame.subarray(offset, offset + size));
      offset += size;
    }
  }

  /** Stop reading (a slow consumer): the kernel buffers fill, then the server's queue grows. */
  stopReading(): void {
    if (this.ws !== undefined) this.ws.pause();
    else this.socket!.pause();
  }

  resume(): void {
    if (this.ws !== undefined) this.ws.resume();
    else this.socket!.resume();
  }

  get isOpen(): boolean {
    return this.ws !== undefined ? this.ws.readyState === WebSocket.OPEN : !this.socket!.destroyed;
  }

  async close(): Promise<void> {
    if (this.ws !== undefined) this.ws.close();
    else this.socket!.end();
    await within(this.closed, 'the server to close the connection after our end', 30_000);
  }
}
