import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { ServerEvent } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { ResumePoint } from '../channel/channel-history.js';
import type { AllowedHosts } from '../http/host-check.js';
import type { HttpRefusals } from '../http/http-socket-gate.js';
import { isOriginAllowed } from '../http/origin-check.js';
import type { Hub } from '../hub/hub.js';
import type { OutputPolicy } from '../output/output-policy.js';
import type { TrafficStats } from '../stats.js';
import { peerAddress } from './peer-address.js';
import { WsConnection, closeCodeFor } from './ws-connection.js';

export interface WsGatewayOptions {
  hub: Hub;
  stats: TrafficStats;
  logger: Logger;
  maxPayload: number;
  allowedOrigins: readonly string[];
  policy: OutputPolicy;
  /** This server's own names: a same-origin page must be on one of them (DNS rebinding). */
  allowedHosts: AllowedHosts;
  /** Milliseconds between pings; a connection that did not answer the previous one is dropped. 0 = off. */
  pingIntervalMs: number;
  /** Sockets accepted over a connection cap: their upgrade is completed only to say why, then closed. */
  refusals: HttpRefusals;
}

/** Seconds a refused upgrade is told to wait during a shutdown: about what a restart takes. */
const SHUTDOWN_RETRY_AFTER_S = 5;

/**
 * `/ws?after=ID&epoch=E`: a page that reconnects says where it left off, so the replay it gets
 * on joining is exactly what it missed. Without both (or malformed), it is a first visit.
 */
export function resumePointOf(query: unknown): ResumePoint | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const { after, epoch } = query as Record<string, unknown>;
  if (typeof after !== 'string' || !/^\d{1,15}$/.test(after) || typeof epoch !== 'string' || epoch.length === 0) return undefined;
  return { after: Number(after), epoch };
}

async function wsGatewayPlugin(app: FastifyInstance, options: WsGatewayOptions): Promise<void> {
  if (!Number.isInteger(options.maxPayload) || options.maxPayload <= 0) {
    throw new Error('ws gateway: maxPayload must be a positive integer');
  }
  const connections = new Set<WsConnection>();

  /**
   * Once the drain has started, an upgrade is refused before it happens (503, like /healthz), so a
   * page that reconnects at once gets no WebSocket to be told "shutting down" on again, and a load
   * balancer sends it elsewhere. Retry-After is what a restart usually takes.
   */
  async function refuseWhileClosing(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!options.hub.closing) return;
    options.stats.countError('SB_ERR_SHUTTING_DOWN');
    options.logger.warn({ transport: 'ws', ip: request.ip, code: 'SB_ERR_SHUTTING_DOWN' }, 'websocket upgrade refused: server shutting down');
    await reply.code(503).header('retry-after', String(SHUTDOWN_RETRY_AFTER_S)).send({ error: 'server shutting down', code: 'SB_ERR_SHUTTING_DOWN' });
  }

  async function checkOrigin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!isOriginAllowed(request.headers.origin, request.headers.host, options.allowedOrigins, options.allowedHosts)) {
      options.logger.warn({ origin: request.headers.origin, ip: request.ip }, 'websocket upgrade refused: origin not allowed');
      await reply.code(403).send({ error: 'origin not allowed' });
    }
  }

  app.get('/ws', { websocket: true, preValidation: [refuseWhileClosing, checkOrigin] }, function onWebSocket(socket, request) {
    const ip = request.socket?.remoteAddress ?? 'unknown';
    const address = peerAddress(ip, request.socket?.remotePort);
    // `closing` again: the drain may start while an upgrade that passed the hooks completes. The
    // gate counted this socket when the HTTP server accepted it, or accepted it over a cap only
    // to be told so here (http-socket-gate.ts).
    const refusal = options.hub.closing ? 'server shutting down' : options.refusals.refusalOf(request.raw.socket);
    if (refusal !== null) {
      const code: ErrorCode = options.hub.closing ? 'SB_ERR_SHUTTING_DOWN' : 'SB_ERR_TOO_MANY_CONNECTIONS';
      // A refusal over a cap was counted and logged when the socket was accepted.
      if (code === 'SB_ERR_SHUTTING_DOWN') {
        options.stats.countError(code);
        options.logger.warn({ transport: 'ws', from: address, code }, `connection refused: ${refusal}`);
      }
      const event: ServerEvent = { type: 'error', code, message: refusal, fatal: true };
      socket.send(JSON.stringify(event));
      socket.close(closeCodeFor(code), code);
      return;
    }
    const connection = new WsConnection(socket, address, options, resumePointOf(request.query));
    connections.add(connection);
    socket.once('close', function forgetWsConnection() {
      connections.delete(connection);
    });
  });

  if (options.pingIntervalMs > 0) {
    let lastTick = Date.now();
    const timer = setInterval(function pingAll() {
      const now = Date.now();
      // After a stalled event loop, timers run before pending socket reads, so unread pongs
      // would look missing: give everyone a fresh round instead of judging.
      const stalled = now - lastTick > options.pingIntervalMs * 1.5;
      lastTick = now;
      for (const connection of connections) connection.ping(stalled);
    }, options.pingIntervalMs);
    timer.unref();
    app.addHook('onClose', async function stopPinging() {
      clearInterval(timer);
    });
  }
}

/** The `/ws` endpoint: browsers join here. Needs @fastify/websocket registered first. */
export const wsGateway = fp(wsGatewayPlugin, { name: 'switchboard-ws-gateway', dependencies: ['@fastify/websocket'] });
