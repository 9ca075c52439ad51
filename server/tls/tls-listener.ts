import type net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { ConnectionGate } from '../connection-gate.js';
import type { TrafficStats } from '../stats.js';
import type { TlsCredentials } from './tls-credentials.js';

export interface TlsListenerOptions {
  credentials: TlsCredentials;
  gate: ConnectionGate;
  stats: TrafficStats;
  logger: Logger;
  /** A client that has not finished its handshake this long after connecting is closed. */
  handshakeTimeoutMs: number;
  /** For the logs: which listener this is (`tls-tcp`, `tls-line`, `https`, `tls-irc`). */
  name: string;
  /** ALPN protocols offered (`http/1.1` for HTTPS); none for the chat protocols. */
  alpnProtocols?: string[];
}

export interface TlsListener {
  readonly server: tls.Server;
  /** Connections still in their handshake. */
  readonly handshaking: number;
  /** Closes every handshake in progress (at shutdown: they would only be turned away). */
  cutHandshakes(): void;
}

type ConnectionListener = (socket: net.Socket) => void;

function ignoreSocketError(): void {}

/** The connection's four addresses: the same on the TCP socket and on the TLS socket over it. */
function connectionKey(socket: net.Socket): string {
  return `${socket.localAddress}|${socket.localPort}|${socket.remoteAddress}|${socket.remotePort}`;
}

/**
 * A TLS listener in front of a plain transport: once a client's handshake is done, its TLS
 * socket is handed to `target` as if `target` had accepted it (`target.emit('connection')`,
 * which Node supports for net and HTTP servers), so the framed, line and HTTP transports (and
 * any TCP transport added later) run unchanged over TLS, limits and all. Wrapping one is this
 * one call.
 *
 * From accept to the end of the handshake, the connection holds a slot in the connection gate
 * (it costs a descriptor and handshake memory like any socket). Like an HTTP socket without a
 * request, a handshake serves nobody yet: at a cap it is closed to make room (oldest first).
 * Once secure, the slot passes to `target`, whose own admission counts it from then on (the
 * release and that admission happen in one turn of the event loop, so nobody takes the slot in
 * between). A client that sends no valid handshake (garbage, a plain-text client, nothing within
 * the timeout, gone midway) is closed alone, logged and counted as `SB_ERR_TLS_HANDSHAKE`.
 */
export function createTlsListener(target: net.Server, options: TlsListenerOptions): TlsListener {
  const { gate, logger, stats, name } = options;
  const server = tls.createServer({
    ...options.credentials.serverOptions(),
    // Not half-open during the handshake: a client that sends FIN before finishing it (one that
    // refused our certificate) would otherwise hold its slot until the handshake timeout.
    allowHalfOpen: false,
    handshakeTimeout: options.handshakeTimeoutMs,
    ...(options.alpnProtocols === undefined ? {} : { ALPNProtocols: options.alpnProtocols }),
  });
  options.credentials.attach(server);

  /** Handshakes in progress, oldest first (TCP socket → its IP and key); and the same by key and by IP. */
  const pending = new Map<net.Socket, { ip: string; key: string }>();
  const byKey = new Map<string, net.Socket>();
  const byIp = new Map<string, Set<net.Socket>>();

  function track(raw: net.Socket, ip: string): void {
    const key = connectionKey(raw);
    pending.set(raw, { ip, key });
    byKey.set(key, raw);
    let fromIp = byIp.get(ip);
    if (fromIp === undefined) {
      fromIp = new Set();
      byIp.set(ip, fromIp);
    }
    fromIp.add(raw);
  }

  /** The handshake's gate slot goes back exactly once: when it succeeds, fails, or is evicted. */
  function releaseSlot(raw: net.Socket): void {
    const entry = pending.get(raw);
    if (entry === undefined) return;
    const { ip, key } = entry;
    pending.delete(raw);
    byKey.delete(key);
    const fromIp = byIp.get(ip);
    fromIp?.delete(raw);
    if (fromIp?.size === 0) byIp.delete(ip);
    gate.release(ip);
  }

  function releaseOnClose(this: net.Socket): void {
    releaseSlot(this);
  }

  function evictHandshake(ip: string | null): boolean {
    const candidates = ip === null ? pending.keys() : byIp.get(ip)?.values();
    const oldest = candidates?.next().value;
    if (oldest === undefined) return false;
    logger.debug({ transport: name, from: pending.get(oldest)?.ip }, 'closing a TLS handshake in progress to make room');
    releaseSlot(oldest);
    oldest.destroy();
    return true;
  }
  gate.addEvictor(evictHandshake);

  // Node's own listener starts the handshake; the gate runs first, so a refused socket never costs one.
  const nodeListeners = server.listeners('connection') as ConnectionListener[];
  server.removeAllListeners('connection');
  server.on('connection', function admitTlsSocket(raw: net.Socket) {
    raw.on('error', ignoreSocketError);
    const ip = raw.remoteAddress ?? 'unknown';
    const refusal = gate.admit(ip);
    if (refusal !== null) {
      // No notice: it could only be sent after a handshake, which is what the cap is saving.
      stats.countError('SB_ERR_TOO_MANY_CONNECTIONS');
      logger.warn({ transport: name, from: ip, code: 'SB_ERR_TOO_MANY_CONNECTIONS' }, `connection refused: ${refusal}`);
      raw.destroy();
      return;
    }
    track(raw, ip);
    raw.once('close', releaseOnClose);
    for (const listener of nodeListeners) listener.call(server, raw);
  });

  server.on('secureConnection', function handOverSecureSocket(socket: tls.TLSSocket) {
    const raw = byKey.get(connectionKey(socket));
    if (raw !== undefined) releaseSlot(raw);
    // From here on half-open, as on the plain ports: a client that sent FIN may still have input
    // held back by the flood limit, and answers to come. Node reads this flag at each FIN.
    socket.allowHalfOpen = true;
    target.emit('connection', socket);
  });

  server.on('tlsClientError', function tlsHandshakeFailed(error: Error & { code?: string }, socket: tls.TLSSocket) {
    stats.countError('SB_ERR_TLS_HANDSHAKE');
    logger.info(
      { transport: name, from: socket.remoteAddress, code: 'SB_ERR_TLS_HANDSHAKE', reason: error.code ?? error.message },
      'TLS handshake failed; connection closed',
    );
    // With a listener here Node leaves the socket open after a handshake timeout: close it.
    socket.destroy();
  });

  server.on('error', function onTlsServerError(error) {
    // A failed listen() is the caller's to report; later errors are ours.
    if (!server.listening) return;
    logger.error({ err: error, transport: name }, 'listener error');
  });

  return {
    server,
    get handshaking() {
      return pending.size;
    },
    cutHandshakes() {
      for (const raw of [...pending.keys()]) raw.destroy();
    },
  };
}
