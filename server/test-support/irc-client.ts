import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { type IrcMessage, parseIrcLine } from '../../shared/irc-message.js';
import { DEADLINE_MS, onceWithin, within } from './deadline.js';

type Matcher = (line: string, message: IrcMessage) => boolean;

/**
 * A raw IRC client for tests: writes lines, records every line it reads, and waits (with a
 * deadline that says what did arrive) for one that matches.
 */
export class IrcTestClient {
  readonly lines: string[] = [];
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  private pending = '';
  private cursor = 0;
  private waiters: { match: Matcher; resolve: (line: string) => void }[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.closed = once(socket, 'close').then(() => undefined);
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.pending += chunk;
      let end: number;
      while ((end = this.pending.indexOf('\r\n')) !== -1) {
        const line = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 2);
        this.lines.push(line);
        this.check();
      }
    });
  }

  static async connect(port: number): Promise<IrcTestClient> {
    const socket = net.connect(port, '127.0.0.1');
    await onceWithin(socket, 'connect');
    return new IrcTestClient(socket);
  }

  /** Over TLS, trusting only `ca` (the test CA's PEM) and checking the name, as irssi's `-tls_verify` does. */
  static async connectTls(port: number, ca: string | Buffer): Promise<IrcTestClient> {
    const socket = tls.connect({ port, host: '127.0.0.1', ca });
    await onceWithin(socket, 'secureConnect');
    return new IrcTestClient(socket);
  }

  /** Connects and registers as `nick` (with `caps` requested first when given); resolves after 422. */
  static async register(port: number, nick: string, caps: string[] = []): Promise<IrcTestClient> {
    return IrcTestClient.registered(await IrcTestClient.connect(port), nick, caps);
  }

  /** `register` on a client already connected (over TLS, say). */
  static async registered(client: IrcTestClient, nick: string, caps: string[] = []): Promise<IrcTestClient> {
    if (caps.length > 0) {
      client.send('CAP LS 302');
      client.send(`NICK ${nick}`);
      client.send(`USER ${nick} 0 * :${nick} test`);
      await client.waitFor((_line, message) => message.command === 'CAP' && message.params[1] === 'LS');
      client.send(`CAP REQ :${caps.join(' ')}`);
      await client.waitFor((_line, message) => message.command === 'CAP' && message.params[1] === 'ACK');
      client.send('CAP END');
    } else {
      client.send(`NICK ${nick}`);
      client.send(`USER ${nick} 0 * :${nick} test`);
    }
    await client.waitFor((_line, message) => message.command === '422');
    return client;
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** The first line since the last match that matches: a substring, a pattern or a predicate. */
  waitFor(expected: string | RegExp | Matcher, timeoutMs = DEADLINE_MS): Promise<string> {
    const match: Matcher = typeof expected === 'function' ? expected : typeof expected === 'string' ? (line) => line.includes(expected) : (line) => expected.test(line);
    const found = this.scan(match);
    if (found !== null) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(expected)}; got: ${JSON.stringify(this.lines.slice(-12))}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }

  /** Every line from now until one matching `end` (included). */
  async collectUntil(end: string | RegExp): Promise<string[]> {
    const from = this.cursor;
    await this.waitFor(end);
    return this.lines.slice(from, this.cursor);
  }

  async quit(reason = 'bye'): Promise<void> {
    this.send(`QUIT :${reason}`);
    await within(this.closed, 'the server to close the connection after QUIT', 10_000);
  }

  private scan(match: Matcher): string | null {
    for (let i = this.cursor; i < this.lines.length; i += 1) {
      const line = this.lines[i]!;
      const message = parseIrcLine(line);
      if (message !== null && match(line, message)) {
        this.cursor = i + 1;
        return line;
      }
    }
    return null;
  }

  private check(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      const found = this.scan(waiter.match);
      if (found !== null) waiter.resolve(found);
      else this.waiters.push(waiter);
    }
  }
}
