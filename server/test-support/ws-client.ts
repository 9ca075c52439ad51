import { once } from 'node:events';
import { WebSocket } from 'ws';
import type { ClientEvent, ServerEvent } from '../../shared/events.js';
import { DEADLINE_MS, onceWithin, within } from './deadline.js';

/** A page stand-in over a real WebSocket: records every event and lets a test wait for one. */
export class WsTestClient {
  readonly events: ServerEvent[] = [];
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { match: (event: ServerEvent) => boolean; resolve: (event: ServerEvent) => void }[] = [];
  private cursor = 0;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    this.closed = once(socket, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => {
      const event = JSON.parse(data.toString('utf8')) as ServerEvent;
      this.events.push(event);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(event)) return true;
        this.cursor = this.events.length;
        waiter.resolve(event);
        return false;
      });
    });
  }

  /** `query` is appended to `/ws`, e.g. `?after=7&epoch=…` to resume. */
  static async connect(httpPort: number, origin?: string, query = ''): Promise<WsTestClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${httpPort}/ws${query}`, origin === undefined ? {} : { origin });
    return WsTestClient.opened(socket);
  }

  /**
   * A connection the server is expected to refuse after the upgrade: resolves with the events it
   * got before the close (the error event saying why) and the close code and reason.
   */
  static async refused(httpPort: number): Promise<{ events: ServerEvent[]; code: number; reason: string }> {
    const client = new WsTestClient(new WebSocket(`ws://127.0.0.1:${httpPort}/ws`));
    const { code, reason } = await within(client.closed, 'the server to close the refused WebSocket');
    return { events: client.events, code, reason };
  }

  /** `wss://127.0.0.1:PORT/ws`, trusting only `ca` (the certificate names the address), as a page over https connects. */
  static async connectSecure(httpsPort: number, ca: string | Buffer, origin?: string): Promise<WsTestClient> {
    const socket = new WebSocket(`wss://127.0.0.1:${httpsPort}/ws`, { ca, ...(origin === undefined ? {} : { origin }) });
    return WsTestClient.opened(socket);
  }

  private static async opened(socket: WebSocket): Promise<WsTestClient> {
    const client = new WsTestClient(socket);
    await onceWithin(socket, 'open');
    await client.waitFor((event) => event.type === 'welcome');
    return client;
  }

  send(event: ClientEvent): void {
    this.socket.send(JSON.stringify(event));
  }

  say(text: string): void {
    this.send({ type: 'send', text });
  }

  /** First event since the last successful wait that matches; rejects with what arrived. */
  waitFor(match: (event: ServerEvent) => boolean, timeoutMs = DEADLINE_MS, what = `an event matching ${String(match)}`): Promise<ServerEvent> {
    for (let i = this.cursor; i < this.events.length; i += 1) {
      const event = this.events[i]!;
      if (match(event)) {
        this.cursor = i + 1;
        return Promise.resolve(event);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last events: ${JSON.stringify(this.events.slice(-8))}`));
      }, timeoutMs);
      this.waiters.push({
        match,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  waitForText(text: string, timeoutMs?: number): Promise<ServerEvent> {
    return this.waitFor((event) => (event.type === 'message' || event.type === 'notice') && event.text.includes(text), timeoutMs, `a message or notice with ${JSON.stringify(text)}`);
  }

  async close(): Promise<void> {
    this.socket.close();
    await within(this.closed, 'the WebSocket close handshake', 10_000);
  }
}
