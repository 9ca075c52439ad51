import { once } from 'node:events';
import type net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import { ConnectionGate } from './connection-gate.js';
import { InputBudget } from '../shared/input-budget.js';
import { type DescriptorReport, openDescriptors, raiseDescriptorLimit, socketCapacity } from './descriptor-limit.js';
import { openHistory } from './history/open-history.js';
import { buildApp } from './http/app.js';
import { AllowedHosts } from './http/host-check.js';
import { createMetrics } from './metrics.js';
import { OutputPolicy } from './output/output-policy.js';
import type { ClusterConnection, ClusterConnector } from './hub/cluster-link.js';
import { Hub } from './hub/hub.js';
import { TrafficStats } from './stats.js';
import { createFramedServer } from './transports/framed-tcp.js';
import { createLineServer } from './transports/line-tcp.js';
import { createIrcServer } from './transports/irc/irc-server.js';
import { type TlsCredentials, credentialsFor } from './tls/tls-credentials.js';
import { type TlsListener, createTlsListener } from './tls/tls-listener.js';
import { registerTlsMetrics } from './tls/tls-metrics.js';
import { ApiTokens, readTokensFile } from './api/api-tokens.js';
import { Webhooks, parseWebhook } from './api/webhooks.js';
import { resolveAdmins } from './auth/admin-source.js';
import { openAccounts } from './auth/accounts.js';
import { resolvePassword } from './auth/password-source.js';
import { ServerPassword } from './auth/server-password.js';
import { type TlsReloadResult, describeCertificate, reloadTls, warnIfExpired } from './tls/tls-reload.js';
import { applyLiveSettings } from './live-settings.js';

/** How often rooms empty for longer than `--empty-room-ttl` are forgotten. */
const ROOM_SWEEP_MS = 30_000;
/** Messages each instance keeps in memory per room from the shared stream (`--redis`) for replay and scroll-back. */
const REDIS_HISTORY_WINDOW = 5_000;

export interface RunningSwitchboard {
  readonly hub: Hub;
  readonly stats: TrafficStats;
  /** The slow-consumer policy every connection's output answers to. */
  readonly policy: OutputPolicy;
  /** Actual ports (useful when 0 was asked for); 0 for a plain listener not opened (`--tls-only`, `--irc-port 0`). */
  readonly ports: PlainPorts;
  /** The TLS listeners' ports (framed, line, HTTPS, IRC), or null without `--tls-cert`. */
  readonly tlsPorts: TlsPorts | null;
  /** Open connections on every transport, for tests and /healthz. */
  readonly gate: ConnectionGate;
  /** The link to the other instances (`--redis`), or null when this process is the whole server. */
  readonly link: ClusterConnection | null;
  /**
   * Graceful shutdown: stop accepting, tell every member `* server shutting down`, let their
   * queues flush, close; connections still open at the shutdown timeout are cut. Idempotent.
   */
  close(): Promise<void>;
  /**
   * Re-reads the certificate and key (SIGHUP) for new handshakes, logging what happened; on
   * failure the running pair stays. null when TLS is off.
   */
  reloadTls(): TlsReloadResult | null;
  /**
   * A reloaded configuration (SIGHUP with `--config`): swaps the live settings in place
   * (live-settings.ts) and returns the attributes that need a restart after all; throws, changing
   * nothing, when a value or a secret file cannot be used.
   */
  applyConfig(next: ServerConfig): string[];
}

export interface PlainPorts {
  tcp: number;
  line: number;
  http: number;
  /** 0 when the IRC listener is off. */
  irc: number;
}

export interface TlsPorts {
  tcp: number;
  line: number;
  https: number;
  /** 0 when `--tls-irc-port 0`. */
  irc: number;
}

/** Remembers open sockets so close() can end them; net.Server alone would wait for every peer. */
function trackConnections(server: net.Server, sockets: Set<net.Socket>): void {
  server.on('connection', function trackSocket(socket: net.Socket) {
    sockets.add(socket);
    socket.once('close', function untrackSocket() {
      sockets.delete(socket);
    });
  });
}

/** The TLS listeners in front of the plain transports, all serving one certificate. */
interface TlsFront {
  credentials: TlsCredentials;
  tcp: TlsListener;
  line: TlsListener;
  https: TlsListener;
  /** null with `--tls-irc-port 0`. */
  irc: TlsListener | null;
}

async function listen(server: net.Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no TCP address');
  return address.port;
}

/**
 * Caps the sockets every transport may hold at what the descriptor limit leaves once everything
 * else is open (history, Redis, listeners), and logs the figure.
 */
function limitSocketsToDescriptors(limit: DescriptorReport | null, gate: ConnectionGate, logger: Logger): void {
  const open = openDescriptors();
  if (limit === null || open === null) {
    logger.warn('open file limit unknown (no /proc): connections are capped by --max-connections only');
    return;
  }
  if (Number.isFinite(limit.soft)) gate.limitSockets(socketCapacity(limit, open - gate.open));
  const figures = { soft: limit.soft, hard: limit.hard, open, socketCapacity: gate.capacity, ...(limit.raisedFrom === undefined ? {} : { raisedFrom: limit.raisedFrom }) };
  const message = `open file limit ${limit.soft} (hard ${limit.hard}): room for ${gate.capacity} connections`;
  if (limit.raiseFailed !== undefined) logger.warn({ ...figures, reason: limit.raiseFailed }, `${message}; could not raise it to the hard limit`);
  else logger.info(figures, message);
}

/** Opens the plain framed, line, IRC (unless `--irc-port 0`) and HTTP ports (all but `--tls-only`). */
async function listenPlain(config: ServerConfig, framed: net.Server, line: net.Server, irc: net.Server | null, app: FastifyInstance): Promise<PlainPorts> {
  const tcp = await listen(framed, config.tcpPort, config.host);
  const linePort = await listen(line, config.linePort, config.host);
  const ircPort = irc === null || config.ircPort === 0 ? 0 : await listen(irc, config.ircPort, config.host);
  await app.listen({ port: config.httpPort, host: config.host });
  const httpAddress = app.server.address();
  const http = httpAddress !== null && typeof httpAddress === 'object' ? httpAddress.port : config.httpPort;
  return { tcp, line: linePort, http, irc: ircPort };
}

/** One line with every address a client can use; the JSON fields are what tests read the ports from. */
function logListening(config: ServerConfig, ports: PlainPorts, tlsPorts: TlsPorts | null, logger: Logger): void {
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  const parts: string[] = [];
  if (!config.tlsOnly) parts.push(`page http://${shownHost}:${ports.http}/ , framed tcp ${shownHost}:${ports.tcp}, line tcp ${shownHost}:${ports.line}${ports.irc === 0 ? '' : `, irc ${shownHost}:${ports.irc}`}`);
  if (tlsPorts !== null) parts.push(`page https://${shownHost}:${tlsPorts.https}/ , framed tls ${shownHost}:${tlsPorts.tcp}, line tls ${shownHost}:${tlsPorts.line}${tlsPorts.irc === 0 ? '' : `, irc tls ${shownHost}:${tlsPorts.irc}`}`);
  const fields = {
    host: config.host,
    ...(config.tlsOnly ? {} : ports),
    ...(tlsPorts === null ? {} : { tlsTcp: tlsPorts.tcp, tlsLine: tlsPorts.line, https: tlsPorts.https, tlsIrc: tlsPorts.irc }),
  };
  logger.info(fields, `listening: ${parts.join(' ; ')}`);
}

export interface StartOptions {
  /** Folder of the built page (tests point it elsewhere). */
  webRoot?: string;
}

/** The Redis cluster module, loaded only with `--redis`: ioredis adds ~10 MiB of resident memory otherwise. */
const REDIS_CLUSTER_MODULE: string = './cluster/redis-cluster.js';

/**
 * Joins the other instances through Redis (`--redis`). Its history replaces the SQLite one: the
 * stream is shared by every instance, so `--data-dir` is not used.
 */
async function connectRedis(config: ServerConfig, url: string, logger: Logger): Promise<ClusterConnection> {
  const log = logger.child({ component: 'redis' });
  if (config.historyRetain.kind === 'age') log.warn('--history-retain by age is not supported with --redis; keeping 100000 messages');
  const retainCount = config.historyRetain.kind === 'count' ? config.historyRetain.messages : config.historyRetain.kind === 'all' ? 0 : 100_000;
  const { connectRedisCluster } = (await import(REDIS_CLUSTER_MODULE)) as { connectRedisCluster: ClusterConnector };
  const link = await connectRedisCluster({
    url,
    prefix: config.redisPrefix,
    presenceTtlMs: config.redisPresenceTtl * 1000,
    timeoutMs: config.redisTimeout * 1000,
    retainCount,
    window: REDIS_HISTORY_WINDOW,
    logger: log,
  });
  log.info({ instance: link.instance, epoch: link.history.epoch, lastId: link.history.lastId, prefix: config.redisPrefix }, 'joined the other instances through Redis');
  return link;
}

/**
 * Starts the room and every transport on it; resolves once all ports are listening. The history
 * store is opened first, so an unusable data dir stops the start before any port is open.
 */
export async function startSwitchboard(config: ServerConfig, logger: Logger, start: StartOptions = {}): Promise<RunningSwitchboard> {
  // First: a certificate that cannot be used stops the start before anything else is opened.
  const credentials = credentialsFor(config);
  // So does a --password-file that cannot be read: a closed server must not start open.
  const secret = resolvePassword(config.password, config.passwordFile);
  // And bot tokens and webhooks that cannot be used.
  const apiTokens = new ApiTokens([...config.apiTokens, ...(config.apiTokensFile === null ? [] : readTokensFile(config.apiTokensFile))]);
  for (const spec of config.webhooks) parseWebhook(spec);
  const admins = resolveAdmins(config.admins, config.adminFile);
  const descriptorLimit = raiseDescriptorLimit();
  const stats = new TrafficStats();
  const link = config.redis === null ? null : await connectRedis(config, config.redis, logger);
  const history = link === null ? openHistory(config, logger, stats) : { store: link.history, close() {} };
  const hub = new Hub({
    history: history.store,
    ...(link === null ? {} : { memberIdBase: link.memberIdBase }),
    joinHistory: config.history,
    defaultRoom: config.defaultRoom,
    password: secret === null ? null : new ServerPassword(secret),
    admins,
    accounts: config.accounts ? openAccounts(history.store) : null,
    logger: logger.child({ component: 'hub' }),
    stats,
    limits: {
      maxRoomsPerMember: config.maxRoomsPerMember,
      maxRooms: config.maxRooms,
      emptyRoomTtlMs: config.emptyRoomTtl * 1000,
      maxPayload: config.maxPayload,
      rateLimit: config.rateLimit,
      rateBurst: config.rateBurst,
      rateLimitBytes: config.rateLimitBytes,
      rateBurstBytes: config.rateBurstBytes,
      floodDisconnectMs: config.floodDisconnect * 1000,
      maxInputQueue: config.maxInputQueue,
      idleTimeoutMs: config.idleTimeout * 1000,
      presenceDelayMs: config.presenceDelay,
    },
  });
  const policy = new OutputPolicy({
    maxPendingBytes: config.maxPendingBytes,
    writeDeadlineMs: config.writeDeadline * 1000,
    maxOutputBytes: config.maxOutputBytes,
  });
  if (link !== null) {
    hub.attachLink(link);
    await link.attach(hub.cluster);
  }
  const gate = new ConnectionGate(config.maxConnections, config.maxConnectionsPerIp);
  const inputBudget = new InputBudget(config.maxInputBytes);
  const adapterOptions = { hub, logger, maxPayload: config.maxPayload, stats, gate, policy, inputBudget };
  const framed = createFramedServer(adapterOptions);
  const line = createLineServer(adapterOptions);
  // The IRC transport exists when a listener feeds it: the plain port (off with --tls-only, like
  // the other plain ports) or the TLS one, which hands it its connections as for framed and line.
  const plainIrc = config.ircPort !== 0 && !config.tlsOnly;
  const tlsIrc = credentials !== null && config.tlsIrcPort !== 0;
  const irc = plainIrc || tlsIrc ? createIrcServer({ hub, logger, stats, gate, policy, serverName: config.ircServerName, network: config.ircNetwork }) : null;
  const sockets = new Set<net.Socket>();
  trackConnections(framed, sockets);
  trackConnections(line, sockets);
  if (irc !== null) trackConnections(irc, sockets);
  const metrics = createMetrics(hub, stats, policy, link, inputBudget);
  if (credentials !== null) registerTlsMetrics(metrics, credentials);
  const webhooks = new Webhooks(hub, config.webhooks, config.webhookSecret, logger.child({ component: 'webhooks' }), metrics);
  // Arrays and objects the routes keep reading, so a SIGHUP can change them in place.
  const allowedOrigins = [...config.allowedOrigins];
  const allowedHosts = new AllowedHosts(config.host, config.allowedHosts);
  const app = await buildApp({
    hub,
    stats,
    history: history.store,
    metrics,
    ...(link === null ? {} : { redisHealth: () => link.health() }),
    logger,
    maxPayload: config.maxPayload,
    allowedOrigins,
    allowedHosts,
    gate,
    policy,
    pingIntervalMs: config.wsPingInterval * 1000,
    timeouts: { headerMs: config.httpHeaderTimeout * 1000, requestMs: config.httpRequestTimeout * 1000, keepAliveMs: config.httpKeepAliveTimeout * 1000 },
    historyRate: { limit: config.historyRateLimit, burst: config.historyRateBurst },
    api: { tokens: apiTokens, rateLimit: config.apiRateLimit, rateBurst: config.apiRateBurst, maxWaits: config.apiMaxWaits },
    ...(start.webRoot === undefined ? {} : { webRoot: start.webRoot }),
  });

  const tlsOptions = { gate, stats, logger, handshakeTimeoutMs: config.tlsHandshakeTimeout * 1000 };
  const front: TlsFront | null =
    credentials === null
      ? null
      : {
          credentials,
          tcp: createTlsListener(framed, { ...tlsOptions, credentials, name: 'tls-tcp' }),
          line: createTlsListener(line, { ...tlsOptions, credentials, name: 'tls-line' }),
          https: createTlsListener(app.server, { ...tlsOptions, credentials, name: 'https', alpnProtocols: ['http/1.1'] }),
          irc: irc === null || !tlsIrc ? null : createTlsListener(irc, { ...tlsOptions, credentials, name: 'tls-irc' }),
        };
  const tlsListeners = front === null ? [] : [front.tcp, front.line, front.https, ...(front.irc === null ? [] : [front.irc])];

  const idleMs = config.idleTimeout * 1000;
  // Also with a password: connections that never give it are closed by the same sweep.
  const sweepMs = idleMs > 0 ? Math.max(50, Math.min(1000, idleMs / 4)) : hub.passwordRequired ? 1000 : 0;
  const idleTimer =
    sweepMs > 0
      ? setInterval(function sweepIdle() {
          hub.sweepIdle();
        }, sweepMs).unref()
      : null;
  const roomTimer = setInterval(function forgetEmptyRooms() {
    hub.rooms.sweep(Date.now());
  }, ROOM_SWEEP_MS).unref();

  let closing: Promise<void> | null = null;
  async function shutdown(): Promise<void> {
    if (idleTimer !== null) clearInterval(idleTimer);
    clearInterval(roomTimer);
    const deadline = Date.now() + Math.max(0, config.shutdownTimeout * 1000 - 500);
    const listeners = [framed, line, ...(irc === null ? [] : [irc]), ...tlsListeners.map((listener) => listener.server)];
    const listenersClosed = listeners.map((server) => (server.listening ? once(server, 'close') : null));
    for (const server of listeners) server.close();
    for (const listener of tlsListeners) listener.cutHandshakes();
    // Leave the shared state first, so the other instances announce our members' leaves now.
    await link?.close();
    hub.closeAll('server shutting down');
    webhooks.close();
    const open = () => sockets.size + (app.websocketServer?.clients.size ?? 0);
    while (open() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (open() > 0) logger.warn({ open: open() }, 'shutdown timeout: cutting remaining connections');
    for (const socket of sockets) socket.destroy();
    for (const client of app.websocketServer?.clients ?? []) client.terminate();
    // app.close() closes idle keep-alive connections but waits for the rest, and to Node an HTTP
    // connection that has not sent a whole request yet (a browser's preconnect, a half-sent
    // request) is not idle: without this cut it held the exit past the shutdown timeout.
    const cutHttp = setTimeout(function cutHttpConnections() {
      app.server.closeAllConnections();
    }, Math.max(0, deadline - Date.now())).unref();
    await Promise.all([...listenersClosed, app.close()]);
    clearTimeout(cutHttp);
    policy.close();
    history.close();
  }
  function close(): Promise<void> {
    closing ??= shutdown();
    return closing;
  }

  function reload(): TlsReloadResult | null {
    return front === null ? null : reloadTls(front.credentials, logger, stats);
  }

  try {
    const ports = config.tlsOnly ? { tcp: 0, line: 0, http: 0, irc: 0 } : await listenPlain(config, framed, line, irc, app);
    // Listening or not, the app must be ready: the HTTPS listener hands it connections.
    await app.ready();
    const tlsPorts: TlsPorts | null =
      front === null
        ? null
        : {
            tcp: await listen(front.tcp.server, config.tlsTcpPort, config.host),
            line: await listen(front.line.server, config.tlsLinePort, config.host),
            https: await listen(front.https.server, config.httpsPort, config.host),
            irc: front.irc === null ? 0 : await listen(front.irc.server, config.tlsIrcPort, config.host),
          };
    limitSocketsToDescriptors(descriptorLimit, gate, logger);
    logListening(config, ports, tlsPorts, logger);
    if (front !== null) {
      logger.info({ component: 'tls', ...front.credentials.info }, `TLS certificate: ${describeCertificate(front.credentials.info)}`);
      warnIfExpired(front.credentials.info, logger);
    }
    const live = { hub, apiTokens, apiOn: apiTokens.size > 0, webhooks, allowedOrigins, allowedHosts, logger };
    const applyConfig = (next: ServerConfig): string[] => applyLiveSettings(live, next);
    return { hub, stats, policy, ports, tlsPorts, gate, link, close, reloadTls: reload, applyConfig };
  } catch (error) {
    await close();
    throw error;
  }
}
