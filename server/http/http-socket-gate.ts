import type http from 'node:http';
import type net from 'node:net';
import type { Logger } from 'pino';
import type { ConnectionGate } from '../connection-gate.js';
import type { TrafficStats } from '../stats.js';

/**
 * How long a refused HTTP socket may take to send its request and read the answer (a 503, or a
 * WebSocket's error event and close) before it is destroyed.
 */
const REFUSAL_GRACE_MS = 1000;

/**
 * Sockets accepted over a connection cap, each with why: they hold no slot, and what they ask is
 * answered with the refusal (app.ts, ws-gateway.ts) instead of being served.
 */
export interface HttpRefusals {
  /** Why this socket was accepted only to be refused, or null for a socket that holds a slot. */
  refusalOf(socket: net.Socket): string | null;
}

type ConnectionListener = (socket: net.Socket) => void;

function destroySocket(socket: net.Socket): void {
  socket.destroy();
}

function ignoreSocketError(): void {}

/**
 * Puts every socket the HTTP server accepts through the connection gate, so HTTP counts in
 * `--max-connections`, `--max-connections-per-ip` and the descriptor limit like every other
 * transport (a WebSocket is the HTTP socket it upgraded, counted once). The gate runs before
 * Node's own connection listener. A refused socket still gets its request read, for at most
 * REFUSAL_GRACE_MS and only while the descriptors allow (ConnectionGate.lingerRefused), so that
 * what it asked is answered with why: a page's WebSocket is told "too many connections" in the
 * error event it already understands, where a bare 503 would look like a lost connection.
 *
 * It also gives the gate its Evictor: the sockets that serve nobody right now, oldest first —
 * accepted but no complete request yet (a half-sent request, a browser's preconnect), or idle
 * between keep-alive requests. A socket with a request in progress or upgraded to a WebSocket is
 * never evicted.
 */
export function gateHttpSockets(server: http.Server, gate: ConnectionGate, logger: Logger, stats: TrafficStats): HttpRefusals {
  const refused = new WeakMap<net.Socket, string>();
  const ipOf = new Map<net.Socket, string>();
  /** Sockets serving nobody, oldest first; and the same per IP. */
  const idle = new Set<net.Socket>();
  const idleByIp = new Map<string, Set<net.Socket>>();

  function markIdle(socket: net.Socket): void {
    const ip = ipOf.get(socket);
    if (ip === undefined || socket.destroyed) return;
    idle.add(socket);
    let fromIp = idleByIp.get(ip);
    if (fromIp === undefined) {
      fromIp = new Set();
      idleByIp.set(ip, fromIp);
    }
    fromIp.add(socket);
  }

  function markBusy(socket: net.Socket): void {
    if (!idle.delete(socket)) return;
    const ip = ipOf.get(socket);
    if (ip === undefined) return;
    const fromIp = idleByIp.get(ip);
    fromIp?.delete(socket);
    if (fromIp?.size === 0) idleByIp.delete(ip);
  }

  /** The socket's slot goes back to the gate exactly once: at eviction or at close. */
  function releaseSlot(socket: net.Socket): void {
    const ip = ipOf.get(socket);
    if (ip === undefined) return;
    markBusy(socket);
    ipOf.delete(socket);
    gate.release(ip);
  }

  function releaseOnClose(this: net.Socket): void {
    releaseSlot(this);
  }

  function evictIdle(ip: string | null): boolean {
    const candidates = ip === null ? idle : idleByIp.get(ip);
    const oldest = candidates?.values().next().value;
    if (oldest === undefined) return false;
    logger.debug({ transport: 'http', from: ipOf.get(oldest) }, 'closing an HTTP connection with no request in progress to make room');
    releaseSlot(oldest);
    oldest.destroy();
    return true;
  }

  const nodeListeners = server.listeners('connection') as ConnectionListener[];
  server.removeAllListeners('connection');
  server.on('connection', function admitHttpSocket(socket: net.Socket) {
    const ip = socket.remoteAddress ?? 'unknown';
    const refusal = gate.admit(ip);
    if (refusal !== null) {
      stats.countError('SB_ERR_TOO_MANY_CONNECTIONS');
      logger.warn({ transport: 'http', from: ip, code: 'SB_ERR_TOO_MANY_CONNECTIONS' }, `connection refused: ${refusal}`);
      socket.on('error', ignoreSocketError);
      if (!gate.lingerRefused(socket)) {
        socket.destroy();
        return;
      }
      refused.set(socket, refusal);
      setTimeout(destroySocket, REFUSAL_GRACE_MS, socket).unref();
      for (const listener of nodeListeners) listener.call(server, socket);
      return;
    }
    ipOf.set(socket, ip);
    socket.once('close', releaseOnClose);
    markIdle(socket);
    for (const listener of nodeListeners) listener.call(server, socket);
  });

  function requestDone(this: http.ServerResponse): void {
    markIdle(this.req.socket);
  }
  server.on('request', function requestStarted(request: http.IncomingMessage, response: http.ServerResponse) {
    markBusy(request.socket);
    response.once('close', requestDone);
  });
  server.on('upgrade', function upgraded(request: http.IncomingMessage) {
    markBusy(request.socket);
  });
  gate.addEvictor(evictIdle);
  return {
    refusalOf(socket: net.Socket): string | null {
      return refused.get(socket) ?? null;
    },
  };
}
