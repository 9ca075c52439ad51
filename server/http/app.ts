import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RedisHealth } from '../cluster/redis-link.js';
import type { HistoryStore } from '../history/history-store.js';
import type { Room } from '../room/room.js';
import type { ConnectionGate } from '../connection-gate.js';
import type { TrafficStats } from '../stats.js';
import { wsGateway } from '../transports/ws-gateway.js';
import { registerHistoryRoute } from './history-route.js';

export interface AppOptions {
  room: Room;
  stats: TrafficStats;
  /** The shared room's state (`--redis`), reported by /healthz. */
  redisHealth?: () => RedisHealth;
  /** Serves `GET /history`; without one the route answers 404. */
  history?: HistoryStore;
  metrics: Registry;
  logger: Logger;
  maxPayload: number;
  allowedOrigins: readonly string[];
  gate: ConnectionGate;
  pingIntervalMs: number;
  /** Folder of the built page; defaults to dist/web beside the compiled server. */
  webRoot?: string;
}

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The HTTP side: the page, /ws, /history, /healthz, /metrics. Built apart from listen() so tests can use
 * inject()/injectWS() without a port.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // Request logging is off: static files would drown the chat's own connection and message logs.
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 16 * 1024,
  });

  await app.register(fastifyWebsocket, {
    options: { maxPayload: options.maxPayload, perMessageDeflate: false, clientTracking: true },
  });
  await app.register(wsGateway, {
    room: options.room,
    stats: options.stats,
    logger: options.logger,
    maxPayload: options.maxPayload,
    allowedOrigins: options.allowedOrigins,
    gate: options.gate,
    pingIntervalMs: options.pingIntervalMs,
  });

  app.get('/healthz', async function healthz(_request, reply) {
    const members = options.room.countByTransport();
    // 503 while shutting down, so a load balancer stops sending new clients here.
    if (options.room.closing) reply.code(503);
    const redis = options.redisHealth?.();
    return {
      status: options.room.closing ? 'shutting down' : 'ok',
      members,
      total: members.tcp + members.line + members.ws,
      uptimeSeconds: Math.round(process.uptime()),
      // Still 200 while Redis is down: this instance serves its own members meanwhile.
      ...(redis === undefined ? {} : { redis }),
    };
  });

  if (options.history !== undefined) registerHistoryRoute(app, options.history);

  app.get('/metrics', async function metrics(_request, reply) {
    const body = await options.metrics.metrics();
    return reply.type(options.metrics.contentType).send(body);
  });

  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  if (existsSync(`${webRoot}/index.html`)) {
    await app.register(fastifyStatic, { root: webRoot, index: 'index.html' });
  } else {
    app.get('/', async function pageNotBuilt(_request, reply) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The page is not built yet: run `npm run build` in the Switchboard folder, then reload.\n');
    });
  }
  return app;
}
