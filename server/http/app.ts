import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ClusterHealth } from '../hub/cluster-link.js';
import type { HistoryStore } from '../history/history-store.js';
import type { Hub } from '../hub/hub.js';
import type { ConnectionGate } from '../connection-gate.js';
import type { OutputPolicy } from '../output/output-policy.js';
import type { TrafficStats } from '../stats.js';
import { wsGateway } from '../transports/ws-gateway.js';
import { apiOff, botApi } from '../api/api-routes.js';
import type { ApiTokens } from '../api/api-tokens.js';
import { registerHistoryRoute } from './history-route.js';
import { AllowedHosts } from './host-check.js';
import { gateHttpSockets } from './http-socket-gate.js';

/** Seconds a request refused over a connection cap is told to wait (Retry-After). */
const OVER_CAP_RETRY_AFTER_S = 5;

export interface AppOptions {
  hub: Hub;
  stats: TrafficStats;
  /** The shared room's state (`--redis`), reported by /healthz. */
  redisHealth?: () => ClusterHealth;
  /** Serves `GET /history`; without one the route answers 404. */
  history?: HistoryStore;
  metrics: Registry;
  logger: Logger;
  maxPayload: number;
  allowedOrigins: readonly string[];
  /** Names HTTP requests may be addressed to (DNS rebinding); default: localhost and IP addresses. */
  allowedHosts?: AllowedHosts;
  /** Every accepted HTTP socket is counted here (and may be evicted when idle). */
  gate: ConnectionGate;
  policy: OutputPolicy;
  pingIntervalMs: number;
  /** Defaults: DEFAULT_HTTP_TIMEOUTS. */
  timeouts?: HttpTimeouts;
  /** `GET /history` requests per second per IP (0 = no limit) and burst; default 5 and 20. */
  historyRate?: { limit: number; burst: number };
  /** Folder of the built page; defaults to dist/web beside the compiled server. */
  webRoot?: string;
  /** The bot API (/api); off (404) without it or with no tokens. */
  api?: BotApiSettings;
}

/** The bot API's part of AppOptions (`--api-*`). */
export interface BotApiSettings {
  tokens: ApiTokens;
  rateLimit: number;
  rateBurst: number;
  maxWaits: number;
}

/** Milliseconds: headers, whole request (also the longest a response may stall unread), keep-alive idle. */
export interface HttpTimeouts {
  headerMs: number;
  requestMs: number;
  keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headerMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The HTTP side: the page, /ws, /history, /api (bots), /healthz, /metrics. Built apart from listen() so tests can use
 * inject()/injectWS() without a port.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const timeouts = options.timeouts ?? DEFAULT_HTTP_TIMEOUTS;
  if (timeouts.headerMs > timeouts.requestMs) {
    throw new Error(`--http-header-timeout (${timeouts.headerMs / 1000} s) must not be longer than --http-request-timeout (${timeouts.requestMs / 1000} s)`);
  }
  const allowedHosts = options.allowedHosts ?? new AllowedHosts('localhost', []);
  // Request logging is off: static files would drown the chat's own connection and message logs.
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 16 * 1024,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Socket inactivity: a response the client stopped reading is dropped after this long.
    connectionTimeout: timeouts.requestMs,
    // Node checks the header and request deadlines every connectionsCheckingInterval (30 s by
    // default, which would let a half-sent request live up to 30 s past its deadline).
    http: { headersTimeout: timeouts.headerMs, connectionsCheckingInterval: Math.min(1000, Math.max(100, timeouts.headerMs / 4)) },
  });
  const refusals = gateHttpSockets(app.server, options.gate, options.logger, options.stats);

  await app.register(fastifyWebsocket, {
    options: { maxPayload: options.maxPayload, perMessageDeflate: false, clientTracking: true },
  });
  // After @fastify/websocket's own onRequest hook, which marks upgrades so a refused one is closed.
  app.addHook('onRequest', async function refuseOverCap(request, reply) {
    const refusal = refusals.refusalOf(request.raw.socket);
    // The page's WebSocket is refused by the gateway, in the error event the page understands.
    if (refusal === null || (request.ws && request.routeOptions.url === '/ws')) return;
    await reply
      .code(503)
      .header('retry-after', String(OVER_CAP_RETRY_AFTER_S))
      .header('connection', 'close')
      .send({ error: refusal, code: 'SB_ERR_TOO_MANY_CONNECTIONS' });
  });
  app.addHook('onRequest', async function checkHost(request, reply) {
    if (allowedHosts.allowsHostHeader(request.headers.host)) return;
    options.logger.warn({ host: request.headers.host, ip: request.ip }, 'request refused: host not allowed');
    await reply.code(421).send({ error: `this server does not answer for host ${request.headers.host}; see --allowed-hosts` });
  });
  await app.register(wsGateway, {
    hub: options.hub,
    stats: options.stats,
    logger: options.logger,
    maxPayload: options.maxPayload,
    allowedOrigins: options.allowedOrigins,
    policy: options.policy,
    allowedHosts,
    pingIntervalMs: options.pingIntervalMs,
    refusals,
  });

  app.get('/healthz', async function healthz(_request, reply) {
    const members = options.hub.countByTransport();
    // 503 while shutting down, so a load balancer stops sending new clients here.
    if (options.hub.closing) reply.code(503);
    const redis = options.redisHealth?.();
    return {
      status: options.hub.closing ? 'shutting down' : 'ok',
      members,
      total: members.tcp + members.line + members.ws,
      rooms: options.hub.rooms.size,
      uptimeSeconds: Math.round(process.uptime()),
      // Still 200 while Redis is down: this instance serves its own members meanwhile.
      ...(redis === undefined ? {} : { redis }),
    };
  });

  if (options.history !== undefined) {
    const rate = options.historyRate ?? { limit: 5, burst: 20 };
    registerHistoryRoute(app, { store: options.history, defaultRoom: options.hub.rooms.defaultRoom.name, rateLimit: rate.limit, rateBurst: rate.burst, password: options.hub.password });
  }

  if (options.api !== undefined && options.api.tokens.size > 0) {
    // Its own scope: the API answers errors in its own shape without changing the other routes'.
    await app.register(botApi, {
      hub: options.hub,
      tokens: options.api.tokens,
      ...(options.history === undefined ? {} : { history: options.history }),
      metrics: options.metrics,
      logger: options.logger,
      maxPayload: options.maxPayload,
      rateLimit: options.api.rateLimit,
      rateBurst: options.api.rateBurst,
      maxWaits: options.api.maxWaits,
    });
  } else {
    apiOff(app);
  }

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
