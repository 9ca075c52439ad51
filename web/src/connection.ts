import type { ClientEvent, RateLimits, ServerEvent } from '../../shared/events.js';
import { SendPacer } from '../../shared/send-pacer.js';
import { attemptAfterClose, reconnectDelay } from './backoff.js';
import { parseServerEvent } from './parse-event.js';

const encoder = new TextEncoder();

function noop(): void {}

function socketSend(socket: WebSocket, json: string): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(json);
}

/** What the status line shows; `retryAt` is an epoch-ms instant so the view can count down. */
export type ConnectionState =
  | { kind: 'connecting'; retrying: boolean }
  | { kind: 'open' }
  | { kind: 'waiting'; retryAt: number }
  /** The member left (`/quit`): no retry until the user asks for one. */
  | { kind: 'left' };

/** The close code the server uses only when the member asked to leave (`/quit`). */
const CLOSE_NORMAL = 1000;

export interface ConnectionListeners {
  event(event: ServerEvent): void;
  state(state: ConnectionState): void;
  /**
   * The socket closed after its `welcome`; not called for failed attempts, nor for a server that
   * accepted and then refused (its error event says why, once per attempt).
   */
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
 * (too many connections) must not be knocked on at the fastest rate forever. A server that says
 * "not now" (shutting down, full) is given seconds before the next try (attemptAfterClose).
 */
export class Connection {
  /** Asked before every attempt: the URL carries where to resume from, which changes. */
  private readonly url: () => string;
  private readonly listeners: ConnectionListeners;
  private socket: WebSocket | null = null;
  /** Whether the current socket got its `welcome`, so its close is a lost connection, not a failed try. */
  private welcomed = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Paces sends to the limits the current connection's welcome announced (null before it). */
  private pacer: SendPacer<string> | null = null;

  constructor(url: () => string, listeners: ConnectionListeners) {
    this.url = url;
    this.listeners = listeners;
  }

  start(): void {
    window.addEventListener('online', this.windowOnOnline);
    this.open();
  }

  /**
   * Sends one event, paced to the server's announced flood limit so the server never has to hold
   * this page back; false when there is no open socket (the caller keeps the user's input).
   */
  send(event: ClientEvent): boolean {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) return false;
    const json = JSON.stringify(event);
    if (this.pacer === null) this.socket.send(json);
    else this.pacer.push(json, encoder.encode(json).length);
    return true;
  }

  private pace(limits: RateLimits | undefined): void {
    this.pacer?.stop();
    const socket = this.socket;
    this.pacer = limits === undefined || socket === null ? null : new SendPacer<string>(limits, (json) => socketSend(socket, json), noop);
  }

  /** Skips the rest of the wait, or comes back after `/quit`; does nothing while a socket is open. */
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
    this.welcomed = false;
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
    this.listeners.state({ kind: 'open' });
  };

  private readonly socketOnMessage = (event: globalThis.MessageEvent): void => {
    if (event.currentTarget !== this.socket) return;
    const parsed = parseServerEvent(event.data);
    if (parsed === null) return;
    if (parsed.type === 'welcome') {
      this.attempt = 0;
      this.welcomed = true;
      this.pace(parsed.limits);
    }
    this.listeners.event(parsed);
  };

  // `error` needs no listener: the browser always follows it with `close`, which does the work.
  private readonly socketOnClose = (event: CloseEvent): void => {
    if (event.currentTarget !== this.socket) return;
    this.socket = null;
    this.pacer?.stop();
    this.pacer = null;
    if (event.code === CLOSE_NORMAL) {
      // The member said /quit: coming back is the user's choice (retryNow), not the backoff's.
      this.listeners.state({ kind: 'left' });
      return;
    }
    if (this.welcomed) this.listeners.lost();
    this.attempt = attemptAfterClose(this.attempt, event.code);
    this.scheduleRetry();
  };

  private readonly retryTimerOnFire = (): void => {
    this.retryTimer = undefined;
    this.open();
  };

  /** Back on the network: waiting out the rest of a long backoff would only delay the user. */
  private readonly windowOnOnline = (): void => {
    // Only while waiting to retry: a member that left stays out.
    if (this.retryTimer !== undefined) this.retryNow();
  };
}
