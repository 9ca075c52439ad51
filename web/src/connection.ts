import type { ClientEvent, ServerEvent } from '../../shared/events.js';
import { reconnectDelay } from './backoff.js';
import { parseServerEvent } from './parse-event.js';

/** What the status line shows; `retryAt` is an epoch-ms instant so the view can count down. */
export type ConnectionState =
  | { kind: 'connecting'; retrying: boolean }
  | { kind: 'open' }
  | { kind: 'waiting'; retryAt: number };

export interface ConnectionListeners {
  event(event: ServerEvent): void;
  state(state: ConnectionState): void;
  /** The socket closed after it had been open; not called for failed attempts. */
  lost(): void;
}

/** `ws(s)://<this host>/ws`: the page always talks to the server that served it. */
export function gatewayUrl(location: Location): string {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * One WebSocket to the gateway that comes back by itself. The socket, the retry timer and the
 * attempt count change together, so they live in one object; events from a socket that has been
 * replaced are ignored, because a late `close` from it must not schedule a second reconnect.
 * Backoff resets on `welcome`, not on `open`: a server that accepts and then closes at once
 * (too many connections) must not be knocked on at the fastest rate forever.
 */
export class Connection {
  /** Asked before every attempt: the URL carries where to resume from, which changes. */
  private readonly url: () => string;
  private readonly listeners: ConnectionListeners;
  private socket: WebSocket | null = null;
  /** Whether the current socket reached `open`, so its close is a lost connection, not a failed try. */
  private opened = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: () => string, listeners: ConnectionListeners) {
    this.url = url;
    this.listeners = listeners;
  }

  start(): void {
    window.addEventListener('online', this.windowOnOnline);
    this.open();
  }

  /** Sends one event; false when there is no open socket (the caller keeps the user's input). */
  send(event: ClientEvent): boolean {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(event));
    return true;
  }

  /** Skips the rest of the wait; only meaningful while waiting to reconnect. */
  retryNow(): void {
    if (this.socket !== null) return;
    this.open();
  }

  private open(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.listeners.state({ kind: 'connecting', retrying: this.attempt > 0 });
    const socket = new WebSocket(this.url());
    this.socket = socket;
    this.opened = false;
    socket.addEventListener('open', this.socketOnOpen);
    socket.addEventListener('message', this.socketOnMessage);
    socket.addEventListener('close', this.socketOnClose);
  }

  private scheduleRetry(): void {
    const delay = reconnectDelay(this.attempt, Math.random());
    this.attempt += 1;
    this.retryTimer = setTimeout(this.retryTimerOnFire, delay);
    this.listeners.state({ kind: 'waiting', retryAt: Date.now() + delay });
  }

  private readonly socketOnOpen = (event: Event): void => {
    if (event.currentTarget !== this.socket) return;
    this.opened = true;
    this.listeners.state({ kind: 'open' });
  };

  private readonly socketOnMessage = (event: globalThis.MessageEvent): void => {
    if (event.currentTarget !== this.socket) return;
    const parsed = parseServerEvent(event.data);
    if (parsed === null) return;
    if (parsed.type === 'welcome') this.attempt = 0;
    this.listeners.event(parsed);
  };

  // `error` needs no listener: the browser always follows it with `close`, which does the work.
  private readonly socketOnClose = (event: CloseEvent): void => {
    if (event.currentTarget !== this.socket) return;
    this.socket = null;
    if (this.opened) this.listeners.lost();
    this.scheduleRetry();
  };

  private readonly retryTimerOnFire = (): void => {
    this.retryTimer = undefined;
    this.open();
  };

  /** Back on the network: waiting out the rest of a long backoff would only delay the user. */
  private readonly windowOnOnline = (): void => {
    this.retryNow();
  };
}
