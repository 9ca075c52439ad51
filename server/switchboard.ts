import { once } from 'node:events';
import type net from 'node:net';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import type { RedisLink } from './cluster/redis-link.js';
import { ConnectionGate } from './connection-gate.js';
import type { HistoryStore } from './history/history-store.js';
import { describeRetention } from './history/retention.js';
import { SqliteHistory } from './history/sqlite-history.js';
import { buildApp } from './http/app.js';
import { createMetrics } from './metrics.js';
import { Room } from './room/room.js';
import { TrafficStats } from './stats.js';
import { createFramedServer } from './transports/framed-tcp.js';
import { onBeforeFlush } from './transports/batched-writer.js';
import { createLineServer } from './transports/line-tcp.js';

/** How often old history is pruned (also once at start-up). */
const PRUNE_INTERVAL_MS = 60_000;
/** Messages each instance keeps in memory from the shared stream (`--redis`) for replay and scroll-back. */
const REDIS_HISTORY_WINDOW = 5_000;

export interface RunningSwitchboard {
  readonly room: Room;
  readonly stats: TrafficStats;
  /** Actual ports (useful when 0 was asked for). */
  readonly ports: { tcp: number; line: number; http: number };
  /** Open connections on every transport, for tests and /healthz. */
  readonly gate: ConnectionGate;
  /** The shared room's link (`--redis`), or null when this process is the whole room. */
  readonly link: RedisLink | null;
  /**
   * Graceful shutdown: stop accepting, tell every member `* server shutting down`, let their
   * queues flush, close; connections still open at the shutdown timeout are cut. Idempotent.
   */
  close(): Promise<void>;
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

async function listen(server: net.Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no TCP address');
  return address.port;
}

export interface StartOptions {
  /** Folder of the built page (tests point it elsewhere). */
  webRoot?: string;
}

/** Opens the history store (throws a clear HistoryUnavailableError) and keeps it pruned. */
function openHistory(config: ServerConfig, logger: Logger, stats: TrafficStats): { store: HistoryStore; close(): void } {
  const log = logger.child({ component: 'history' });
  let lastWriteErrorLog = 0;
  const store = new SqliteHistory({
    dataDir: config.dataDir,
    retention: config.historyRetain,
    onWriteError: function historyWriteFailed(error: unknown, lost: number) {
      // Messages were accepted and are being delivered; chat stays up without them in history.
      stats.countError('SB_ERR_HISTORY');
      const now = Date.now();
      if (now - lastWriteErrorLog < 10_000) return;
      lastWriteErrorLog = now;
      log.error({ err: error, lost }, 'could not write messages to history');
    },
  });
  function prune(): void {
    try {
      const removed = store.prune(Date.now());
      if (removed > 0) log.info({ removed }, 'pruned old history');
    } catch (error) {
      stats.countError('SB_ERR_HISTORY');
      log.error({ err: error }, 'could not prune history');
    }
  }
  prune();
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS).unref();
  const removeHook = onBeforeFlush(function commitHistoryBeforeOutput() {
    store.commit();
  });
  log.info(
    { dataDir: config.dataDir, lastId: store.lastId, keep: describeRetention(config.historyRetain) },
    config.dataDir === ':memory:' ? 'history in memory only' : 'history opened',
  );
  return {
    store,
    close() {
      clearInterval(pruneTimer);
      removeHook();
      store.close();
    },
  };
}

/**
 * Joins the shared room in Redis (`--redis`). Its history replaces the SQLite one: the stream is
 * shared by every instance, so `--data-dir` is not used.
 */
async function connectRedis(config: ServerConfig, url: string, logger: Logger): Promise<RedisLink> {
  const log = logger.child({ component: 'redis' });
  if (config.historyRetain.kind === 'age') log.warn('--history-retain by age is not supported with --redis; keeping 100000 messages');
  const retainCount = config.historyRetain.kind === 'count' ? config.historyRetain.messages : config.historyRetain.kind === 'all' ? 0 : 100_000;
  // Loaded only with --redis: ioredis adds ~10 MiB of resident memory to every server otherwise.
  const { RedisLink } = await import('./cluster/redis-link.js');
  const link = await RedisLink.connect({
    url,
    prefix: config.redisPrefix,
    presenceTtlMs: config.redisPresenceTtl * 1000,
    retainCount,
    window: REDIS_HISTORY_WINDOW,
    logger: log,
  });
  log.info({ instance: link.instance, epoch: link.history.epoch, lastId: link.history.lastId, prefix: config.redisPrefix }, 'joined the shared room in Redis');
  return link;
}

/**
 * Starts the room and every transport on it; resolves once all ports are listening. The history
 * store is opened first, so an unusable data dir stops the start before any port is open.
 */
export async function startSwitchboard(config: ServerConfig, logger: Logger, start: StartOptions = {}): Promise<RunningSwitchboard> {
  const stats = new TrafficStats();
  const link = config.redis === null ? null : await connectRedis(config, config.redis, logger);
  const history = link === null ? openHistory(config, logger, stats) : { store: link.history, close() {} };
  const room = new Room({
    history: history.store,
    ...(link === null ? {} : { memberIdBase: link.memberIdBase }),
    joinHistory: config.history,
    logger: logger.child({ component: 'room' }),
    stats,
    limits: {
      maxPendingBytes: config.maxPendingBytes,
      rateLimit: config.rateLimit,
      rateBurst: config.rateBurst,
      floodDisconnectAfter: config.floodDisconnect,
      idleTimeoutMs: config.idleTimeout * 1000,
      presenceDelayMs: config.presenceDelay,
    },
  });
  if (link !== null) {
    room.attachLink(link);
    await link.attach(room);
  }
  const gate = new ConnectionGate(config.maxConnections, config.maxConnectionsPerIp);
  const adapterOptions = { room, logger, maxPayload: config.maxPayload, stats, gate };
  const framed = createFramedServer(adapterOptions);
  const line = createLineServer(adapterOptions);
  const sockets = new Set<net.Socket>();
  trackConnections(framed, sockets);
  trackConnections(line, sockets);
  const app = await buildApp({
    room,
    stats,
    history: history.store,
    metrics: createMetrics(room, stats, link),
    ...(link === null ? {} : { redisHealth: () => link.health() }),
    logger,
    maxPayload: config.maxPayload,
    allowedOrigins: config.allowedOrigins,
    gate,
    pingIntervalMs: config.wsPingInterval * 1000,
    ...(start.webRoot === undefined ? {} : { webRoot: start.webRoot }),
  });

  const idleMs = config.idleTimeout * 1000;
  const idleTimer =
    idleMs > 0
      ? setInterval(function sweepIdle() {
          room.sweepIdle();
        }, Math.max(50, Math.min(1000, idleMs / 4))).unref()
      : null;

  let closing: Promise<void> | null = null;
  async function shutdown(): Promise<void> {
    if (idleTimer !== null) clearInterval(idleTimer);
    const deadline = Date.now() + Math.max(0, config.shutdownTimeout * 1000 - 500);
    const listenersClosed = [framed.listening ? once(framed, 'close') : null, line.listening ? once(line, 'close') : null];
    framed.close();
    line.close();
    // Leave the shared room first, so the other instances announce our members' leaves now.
    await link?.close();
    room.closeAll('server shutting down');
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
    history.close();
  }
  function close(): Promise<void> {
    closing ??= shutdown();
    return closing;
  }

  try {
    const tcp = await listen(framed, config.tcpPort, config.host);
    const linePort = await listen(line, config.linePort, config.host);
    await app.listen({ port: config.httpPort, host: config.host });
    const httpAddress = app.server.address();
    const http = httpAddress !== null && typeof httpAddress === 'object' ? httpAddress.port : config.httpPort;
    const ports = { tcp, line: linePort, http };
    const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
    logger.info(
      { host: config.host, ...ports },
      `listening: page http://${shownHost}:${http}/ , framed tcp ${shownHost}:${tcp}, line tcp ${shownHost}:${linePort}`,
    );
    return { room, stats, ports, gate, link, close };
  } catch (error) {
    await close();
    throw error;
  }
}
