import { InvalidArgumentError, Option } from 'commander';
import type { Retention } from './history/history-store.js';
import { parseRetention } from './history/retention.js';
import { DEFAULT_HTTP_PORT, DEFAULT_LINE_PORT, DEFAULT_MAX_PAYLOAD, DEFAULT_TCP_PORT } from '../shared/limits.js';

/** Everything `switchboard serve` can be told; each field is a flag and an environment variable. */
export interface ServerConfig {
  host: string;
  tcpPort: number;
  linePort: number;
  httpPort: number;
  /** Origins besides the page's own allowed to open /ws; `*` for any. */
  allowedOrigins: string[];
  maxPayload: number;
  /** Queued output per member before it is dropped as a slow consumer. */
  maxPendingBytes: number;
  /** Messages per second per connection (0 = no limit) and the burst allowed above it. */
  rateLimit: number;
  rateBurst: number;
  /** Refused messages in a row before a flooding connection is closed. */
  floodDisconnect: number;
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Seconds between WebSocket pings; 0 = off. */
  wsPingInterval: number;
  /** Seconds without input before a connection is closed; 0 = off. */
  idleTimeout: number;
  /** Milliseconds joins and leaves are collected into one notice; 0 = announce each at once. */
  presenceDelay: number;
  /** Seconds a graceful shutdown may take before remaining connections are cut. */
  shutdownTimeout: number;
  logLevel: LogLevel;
  logPretty: boolean;
  /** Folder of the history database (created if missing), or `:memory:` for none on disk. */
  dataDir: string;
  /** Stored messages a new member gets on joining; 0 = none. */
  history: number;
  /** How much history to keep; pruned at start-up and every minute. */
  historyRetain: Retention;
  /** `redis://host:port` of the Redis that instances share one room through; null = this process alone. */
  redis: string | null;
  /** Prefix of every Redis key and channel: instances with the same prefix share one room. */
  redisPrefix: string;
  /** Seconds a silent (crashed) instance's members stay listed elsewhere. */
  redisPresenceTtl: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  tcpPort: DEFAULT_TCP_PORT,
  linePort: DEFAULT_LINE_PORT,
  httpPort: DEFAULT_HTTP_PORT,
  allowedOrigins: [],
  maxPayload: DEFAULT_MAX_PAYLOAD,
  maxPendingBytes: 1024 * 1024,
  rateLimit: 20,
  rateBurst: 40,
  floodDisconnect: 100,
  maxConnections: 10_000,
  maxConnectionsPerIp: 1_000,
  wsPingInterval: 25,
  idleTimeout: 0,
  presenceDelay: 100,
  shutdownTimeout: 5,
  logLevel: 'info',
  logPretty: false,
  dataDir: './data',
  history: 50,
  historyRetain: { kind: 'count', messages: 100_000 },
  redis: null,
  redisPrefix: 'switchboard:',
  redisPresenceTtl: 10,
};

/** Most messages `--history` may replay to a joining member. */
export const MAX_JOIN_HISTORY = 1000;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port (0-65535; 0 picks a free one)`);
  }
  return port;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a whole number ≥ 0`);
  return n;
}

function parseRedisUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL like redis://127.0.0.1:6379`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new InvalidArgumentError(`"${value}" is not a redis:// or rediss:// URL`);
  return value;
}

function parsePositiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a number of seconds > 0`);
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a number of seconds ≥ 0`);
  return n;
}

function parseHistoryCount(value: string): number {
  const n = parseCount(value);
  if (n > MAX_JOIN_HISTORY) throw new InvalidArgumentError(`"${value}" is over the maximum of ${MAX_JOIN_HISTORY}`);
  return n;
}

function parseRetain(value: string): Retention {
  const retention = parseRetention(value);
  if (retention === null) {
    throw new InvalidArgumentError(`"${value}" is neither a message count (10000) nor an age (90s, 30m, 24h, 7d, 2w), nor 0/all`);
  }
  return retention;
}

function parseDataDir(value: string): string {
  if (value.trim().length === 0) throw new InvalidArgumentError('the data dir must not be empty (use :memory: for none)');
  return value;
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function parseBool(value: string | boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new InvalidArgumentError(`"${value}" is not a boolean (true/false)`);
}

/**
 * The `serve` options, each with its environment variable; commander shows both in --help, and
 * README's configuration table lists the same ones.
 */
export function serveOptions(): Option[] {
  return [
    new Option('--host <address>', 'address to listen on (0.0.0.0 or :: to expose)')
      .env('SWITCHBOARD_HOST')
      .default(DEFAULT_CONFIG.host),
    new Option('--tcp-port <port>', 'framed TCP port (the seed protocol)')
      .env('SWITCHBOARD_TCP_PORT')
      .argParser(parsePort)
      .default(DEFAULT_CONFIG.tcpPort),
    new Option('--line-port <port>', 'line TCP port (netcat/telnet)')
      .env('SWITCHBOARD_LINE_PORT')
      .argParser(parsePort)
      .default(DEFAULT_CONFIG.linePort),
    new Option('--http-port <port>', 'HTTP port: the page, /ws, /healthz, /metrics')
      .env('SWITCHBOARD_HTTP_PORT')
      .argParser(parsePort)
      .default(DEFAULT_CONFIG.httpPort),
    new Option('--allowed-origins <list>', 'comma-separated origins allowed to open /ws besides the page\'s own; * for any')
      .env('SWITCHBOARD_ALLOWED_ORIGINS')
      .argParser(parseList)
      .default(DEFAULT_CONFIG.allowedOrigins, 'same origin only'),
    new Option('--max-payload <bytes>', 'largest message: frame body, line or WebSocket message')
      .env('SWITCHBOARD_MAX_PAYLOAD')
      .argParser(parsePositiveInt)
      .default(DEFAULT_CONFIG.maxPayload),
    new Option('--max-pending-bytes <bytes>', 'output queued for one member before it is dropped as a slow consumer')
      .env('SWITCHBOARD_MAX_PENDING_BYTES')
      .argParser(parsePositiveInt)
      .default(DEFAULT_CONFIG.maxPendingBytes),
    new Option('--rate-limit <msgs>', 'messages per second per connection (0 = no limit)')
      .env('SWITCHBOARD_RATE_LIMIT')
      .argParser(parseCount)
      .default(DEFAULT_CONFIG.rateLimit),
    new Option('--rate-burst <msgs>', 'messages a connection may send at once above the rate')
      .env('SWITCHBOARD_RATE_BURST')
      .argParser(parsePositiveInt)
      .default(DEFAULT_CONFIG.rateBurst),
    new Option('--flood-disconnect <msgs>', 'refused messages in a row before a flooding connection is closed')
      .env('SWITCHBOARD_FLOOD_DISCONNECT')
      .argParser(parsePositiveInt)
      .default(DEFAULT_CONFIG.floodDisconnect),
    new Option('--max-connections <n>', 'open connections in total, all transports (0 = no limit)')
      .env('SWITCHBOARD_MAX_CONNECTIONS')
      .argParser(parseCount)
      .default(DEFAULT_CONFIG.maxConnections),
    new Option('--max-connections-per-ip <n>', 'open connections from one IP address (0 = no limit)')
      .env('SWITCHBOARD_MAX_CONNECTIONS_PER_IP')
      .argParser(parseCount)
      .default(DEFAULT_CONFIG.maxConnectionsPerIp),
    new Option('--ws-ping-interval <seconds>', 'WebSocket ping period; no pong by the next ping closes the connection (0 = off)')
      .env('SWITCHBOARD_WS_PING_INTERVAL')
      .argParser(parseSeconds)
      .default(DEFAULT_CONFIG.wsPingInterval),
    new Option('--idle-timeout <seconds>', 'close connections that sent nothing for this long (0 = off)')
      .env('SWITCHBOARD_IDLE_TIMEOUT')
      .argParser(parseSeconds)
      .default(DEFAULT_CONFIG.idleTimeout),
    new Option('--presence-delay <ms>', 'joins and leaves within this window are announced in one notice (0 = each at once)')
      .env('SWITCHBOARD_PRESENCE_DELAY')
      .argParser(parseCount)
      .default(DEFAULT_CONFIG.presenceDelay),
    new Option('--shutdown-timeout <seconds>', 'longest graceful shutdown before remaining connections are cut')
      .env('SWITCHBOARD_SHUTDOWN_TIMEOUT')
      .argParser(parseSeconds)
      .default(DEFAULT_CONFIG.shutdownTimeout),
    new Option('--data-dir <path>', 'folder for the message history (created if missing); :memory: keeps none on disk')
      .env('SWITCHBOARD_DATA_DIR')
      .argParser(parseDataDir)
      .default(DEFAULT_CONFIG.dataDir),
    new Option('--history <n>', `stored messages a member gets on joining (0 = none, at most ${MAX_JOIN_HISTORY})`)
      .env('SWITCHBOARD_HISTORY')
      .argParser(parseHistoryCount)
      .default(DEFAULT_CONFIG.history),
    new Option('--history-retain <count|age>', 'history kept: a message count (100000), an age (24h, 7d) or 0/all')
      .env('SWITCHBOARD_HISTORY_RETAIN')
      .argParser(parseRetain)
      .default(DEFAULT_CONFIG.historyRetain, '100000'),
    new Option('--redis <url>', 'share one room with other instances through this Redis (redis://host:port); default: this process alone')
      .env('SWITCHBOARD_REDIS')
      .argParser(parseRedisUrl),
    new Option('--redis-prefix <prefix>', 'prefix of every Redis key and channel; instances with the same prefix share a room')
      .env('SWITCHBOARD_REDIS_PREFIX')
      .default(DEFAULT_CONFIG.redisPrefix),
    new Option('--redis-presence-ttl <seconds>', 'members of an instance that stopped answering disappear after this long')
      .env('SWITCHBOARD_REDIS_PRESENCE_TTL')
      .argParser(parsePositiveSeconds)
      .default(DEFAULT_CONFIG.redisPresenceTtl),
    new Option('--log-level <level>', 'log level')
      .env('SWITCHBOARD_LOG_LEVEL')
      .choices(LOG_LEVELS)
      .default(DEFAULT_CONFIG.logLevel),
    new Option('--log-pretty [bool]', 'human-readable logs instead of JSON lines (default: on a TTY)')
      .env('SWITCHBOARD_LOG_PRETTY')
      .argParser(parseBool),
  ];
}

/** Commander's parsed options → a complete, typed config. */
export function toServerConfig(options: Record<string, unknown>, stdoutIsTty: boolean): ServerConfig {
  return {
    host: String(options['host'] ?? DEFAULT_CONFIG.host),
    tcpPort: Number(options['tcpPort'] ?? DEFAULT_CONFIG.tcpPort),
    linePort: Number(options['linePort'] ?? DEFAULT_CONFIG.linePort),
    httpPort: Number(options['httpPort'] ?? DEFAULT_CONFIG.httpPort),
    allowedOrigins: Array.isArray(options['allowedOrigins']) ? options['allowedOrigins'].map(String) : DEFAULT_CONFIG.allowedOrigins,
    maxPayload: Number(options['maxPayload'] ?? DEFAULT_CONFIG.maxPayload),
    maxPendingBytes: Number(options['maxPendingBytes'] ?? DEFAULT_CONFIG.maxPendingBytes),
    rateLimit: Number(options['rateLimit'] ?? DEFAULT_CONFIG.rateLimit),
    rateBurst: Number(options['rateBurst'] ?? DEFAULT_CONFIG.rateBurst),
    floodDisconnect: Number(options['floodDisconnect'] ?? DEFAULT_CONFIG.floodDisconnect),
    maxConnections: Number(options['maxConnections'] ?? DEFAULT_CONFIG.maxConnections),
    maxConnectionsPerIp: Number(options['maxConnectionsPerIp'] ?? DEFAULT_CONFIG.maxConnectionsPerIp),
    wsPingInterval: Number(options['wsPingInterval'] ?? DEFAULT_CONFIG.wsPingInterval),
    idleTimeout: Number(options['idleTimeout'] ?? DEFAULT_CONFIG.idleTimeout),
    presenceDelay: Number(options['presenceDelay'] ?? DEFAULT_CONFIG.presenceDelay),
    shutdownTimeout: Number(options['shutdownTimeout'] ?? DEFAULT_CONFIG.shutdownTimeout),
    logLevel: (options['logLevel'] as LogLevel | undefined) ?? DEFAULT_CONFIG.logLevel,
    logPretty: typeof options['logPretty'] === 'boolean' ? options['logPretty'] : stdoutIsTty,
    dataDir: String(options['dataDir'] ?? DEFAULT_CONFIG.dataDir),
    history: Number(options['history'] ?? DEFAULT_CONFIG.history),
    historyRetain: (options['historyRetain'] as Retention | undefined) ?? DEFAULT_CONFIG.historyRetain,
    redis: typeof options['redis'] === 'string' ? options['redis'] : DEFAULT_CONFIG.redis,
    redisPrefix: String(options['redisPrefix'] ?? DEFAULT_CONFIG.redisPrefix),
    redisPresenceTtl: Number(options['redisPresenceTtl'] ?? DEFAULT_CONFIG.redisPresenceTtl),
  };
}
