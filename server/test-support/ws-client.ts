import { once } from 'node:events';
import { WebSocket } from 'ws';
import type { ClientEvent, ServerEvent } from '../../shared/events.js';

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
    const client = new WsTestClient(socket);
    await once(socket, 'open');
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
  waitFor(match: (event: ServerEvent) => boolean, timeoutMs = 5000): Promise<ServerEvent> {
    for (let i = this.cursor; i < this.events.length; i += 1) {
      const event = this.events[i]!;
      if (match(event)) {
        this.cursor = i + 1;
        return Promise.resolve(event);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out; last events: ${JSON.stringify(this.events.slice(-8))}`));
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
    return this.waitFor((event) => (event.type === 'message' || event.type === 'notice') && event.text.includes(text), timeoutMs);
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}
