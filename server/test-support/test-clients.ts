import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { pino } from 'pino';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { LineDecoder } from '../../shared/line-decoder.js';
import { formatClientPayload } from '../../shared/payload.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../config.js';
import { type RunningSwitchboard, startSwitchboard } from '../switchboard.js';
import { DEADLINE_MS, onceWithin, within } from './deadline.js';

/**
 * A real server on free ports of 127.0.0.1, logging nothing unless SWITCHBOARD_TEST_LOG is set.
 * History is in memory unless `dataDir` is given, so tests never write into the repo's ./data.
 */
export function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<RunningSwitchboard> {
  const level = process.env['SWITCHBOARD_TEST_LOG'] ?? 'silent';
  const config: ServerConfig = { ...DEFAULT_CONFIG, tcpPort: 0, linePort: 0, httpPort: 0, ircPort: 0, tlsIrcPort: 0, dataDir: ':memory:', ...overrides };
  return startSwitchboard(config, pino({ level }));
}

type Matcher = (payload: string) => boolean;

function matcherOf(expected: string | RegExp | Matcher): Matcher {
  if (typeof expected === 'function') return expected;
  if (typeof expected === 'string') return (payload) => payload.includes(expected);
  return (payload) => expected.test(payload);
}

/**
 * A test peer that records every text unit it receives (frames or lines) and lets a test wait for
 * one that matches. Shared by the framed and line flavours below.
 */
abstract class RecordingClient {
  readonly received: string[] = [];
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  private waiters: { match: Matcher; from: number; resolve: (payload: string) => void }[] = [];
  private cursor = 0;

  protected constructor(socket: net.Socket) {
    this.socket = socket;
    this.closed = once(socket, 'close').then(() => undefined);
    socket.on('error', () => undefined);
  }

  protected record(payload: string): void {
    this.received.push(payload);
    const index = this.received.length - 1;
    this.waiters = this.waiters.filter((waiter) => {
      if (index >= waiter.from && waiter.match(payload)) {
        waiter.resolve(payload);
        return false;
      }
      return true;
    });
  }

  /**
   * Resolves with the first payload, received since the last successful waitFor, that matches.
   * Rejects after `timeoutMs` with what was received, so a failure says what did arrive.
   */
  waitFor(expected: string | RegExp | Matcher, timeoutMs = DEADLINE_MS): Promise<string> {
    const match = matcherOf(expected);
    for (let i = this.cursor; i < this.received.length; i += 1) {
      const payload = this.received[i]!;
      if (match(payload)) {
        this.cursor = i + 1;
        return Promise.resolve(payload);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(expected)}; got: ${JSON.stringify(this.received.slice(-10))}`));
      }, timeoutMs);
      this.waiters.push({
        match,
        from: this.cursor,
        resolve: (payload) => {
          clearTimeout(timer);
          this.cursor = this.received.indexOf(payload, this.cursor) + 1;
          resolve(payload);
        },
      });
    });
  }

  /** Chat lines only: not server notices (`***`), actions (`*`), direct messages (`*NAME*`). */
  chat(): string[] {
    return this.received.filter((payload) => !/^\S+ \S+ \*/.test(payload));
  }

  writeRaw(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  async close(): Promise<void> {
    this.socket.end();
    await within(this.closed, 'the server to close the connection after our end', 10_000);
  }
}

/** Speaks the framed protocol; `send` uses the seed client's `DATE TIME text` form. */
export class FramedClient extends RecordingClient {
  private readonly decoder = new FrameDecoder((payload) => this.record(payload), { maxPayload: 16 * 1024 * 1024 });

  private constructor(socket: net.Socket) {
    super(socket);
    socket.on('data', (chunk: Buffer) => this.decoder.push(chunk));
  }

  static async connect(port: number): Promise<FramedClient> {
    const client = await FramedClient.open(port);
    await client.waitFor('welcome to');
    return client;
  }

  /** Connected, without waiting for the welcome (a server with a password sends it after `/pass`). */
  static async open(port: number): Promise<FramedClient> {
    const socket = net.connect(port, '127.0.0.1');
    const client = new FramedClient(socket);
    await onceWithin(socket, 'connect');
    return client;
  }

  /** Over TLS, trusting only `ca` (the test CA's PEM), checking the name as a real client does. */
  static async connectTls(port: number, ca: string | Buffer): Promise<FramedClient> {
    const socket = tls.connect({ port, host: '127.0.0.1', ca });
    const client = new FramedClient(socket);
    await onceWithin(socket, 'secureConnect');
    await client.waitFor('welcome to');
    return client;
  }

  /** Exactly what the seed's encode_message sends: header + `DATE TIME text`. */
  send(text: string): void {
    this.socket.write(encodeFrame(formatClientPayload(Date.now(), text)));
  }

  /** A frame with the payload as given, no timestamp. */
  sendPayload(payload: string): void {
    this.socket.write(encodeFrame(payload));
  }
}

/** A netcat user: lines in, lines out. */
export class LineClient extends RecordingClient {
  private readonly decoder = new LineDecoder((line) => this.record(line), { maxLine: 16 * 1024 * 1024 });

  private constructor(socket: net.Socket) {
    super(socket);
    socket.on('data', (chunk: Buffer) => this.decoder.push(chunk));
  }

  static async connect(port: number): Promise<LineClient> {
    const client = await LineClient.open(port);
    await client.waitFor('welcome to');
    return client;
  }

  /** Connected, without waiting for the welcome (a server with a password sends it after `/pass`). */
  static async open(port: number): Promise<LineClient> {
    const socket = net.connect(port, '127.0.0.1');
    const client = new LineClient(socket);
    await onceWithin(socket, 'connect');
    return client;
  }

  /** Over TLS, trusting only `ca`: what `openssl s_client -quiet` does for a person. */
  static async connectTls(port: number, ca: string | Buffer): Promise<LineClient> {
    const socket = tls.connect({ port, host: '127.0.0.1', ca });
    const client = new LineClient(socket);
    await onceWithin(socket, 'secureConnect');
    await client.waitFor('welcome to');
    return client;
  }

  send(text: string): void {
    this.socket.write(`${text}\n`);
  }
}

/** The seed's decode rule: split on the first two spaces, keep the rest (`SENDER TEXT`). */
export function seedDecode(payload: string): string {
  const parts = payload.split(' ');
  return parts.slice(2).join(' ');
}
