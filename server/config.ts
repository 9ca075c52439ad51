import os from 'node:os';
import { type ApiConfig, DEFAULT_API_CONFIG, toApiConfig } from './api/api-config.js';
import type { Retention } from './history/history-store.js';
import {
  MAX_JOIN_HISTORY,
} from './config-parsers.js';
import {
  DEFAULT_HTTPS_PORT,
  DEFAULT_HTTP_PORT,
  DEFAULT_IRC_PORT,
  DEFAULT_LINE_PORT,
  DEFAULT_MAX_PAYLOAD,
  DEFAULT_TCP_PORT,
  DEFAULT_TLS_IRC_PORT,
  DEFAULT_TLS_LINE_PORT,
  DEFAULT_TLS_TCP_PORT,
} from '../shared/limits.js';
import { defaultDataDir } from './default-data-dir.js';

/** Everything `switchboard serve` can be told; each field is a flag and an environment variable. */
/** Every `serve` setting; the bot API's and webhooks' are declared in api/api-config.ts. */
export interface ServerConfig extends ApiConfig {
  host: string;
  tcpPort: number;
  linePort: number;
  httpPort: number;
  /** IRC client port; 0 = no IRC listener (unlike the other ports, where 0 picks a free one). */
  ircPort: number;
  /** The IRC server's name: the source of its numerics and the host of every member's mask. */
  ircServerName: string;
  /** ISUPPORT NETWORK and the IRC welcome. */
  ircNetwork: string;
  /** PEM certificate (chain) and private key files; both set = the TLS listeners are on. Re-read on SIGHUP. */
  tlsCert: string | null;
  tlsKey: string | null;
  /** The framed protocol, the line protocol and the page over TLS (with `tlsCert`). */
  tlsTcpPort: number;
  tlsLinePort: number;
  httpsPort: number;
  /** IRC over TLS (with `tlsCert`); 0 = none, as for `ircPort`. Open under `tlsOnly` too. */
  tlsIrcPort: number;
  /** Only the TLS listeners: the plain framed, line, HTTP and IRC ports are not opened. */
  tlsOnly: boolean;
  /** Seconds a client has to finish the TLS handshake once connected. */
  tlsHandshakeTimeout: number;
  /** The server password every connection gives first (`/pass`, IRC PASS, the page asks); null = open. */
  password: string | null;
  /** A file whose first line is the password (instead of `password`, kept out of `ps`); read at start. */
  passwordFile: string | null;
  /** Server operators as `NAME=SECRET` (`--admin`, repeatable): `/oper NAME SECRET` makes one. */
  admins: string[];
  /** A file of `NAME=SECRET` lines, more server operators (kept out of `ps`); read at start. */
  adminFile: string | null;
  /** `--accounts`: `/register`, `/login` and IRC SASL; registered nicknames kept for their owners. Off by default. */
  accounts: boolean;
  /** Origins besides the page's own allowed to open /ws; `*` for any. */
  allowedOrigins: string[];
  /** Host names besides localhost, IP addresses and --host that HTTP requests may name; `*` for any. */
  allowedHosts: string[];
  /** Seconds an HTTP client has to send a request's headers, and the whole request. */
  httpHeaderTimeout: number;
  httpRequestTimeout: number;
  /** Seconds an idle keep-alive HTTP connection is kept open between requests. */
  httpKeepAliveTimeout: number;
  /** `GET /history` requests per second per IP (0 = no limit) and the burst allowed above it. */
  historyRateLimit: number;
  historyRateBurst: number;
  maxPayload: number;
  /** Queued output per member past which it is dropped at once (the hard cap). */
  maxPendingBytes: number;
  /** Seconds a member's socket may hold output that the kernel does not take; 0 = off. */
  writeDeadline: number;
  /** Queued output of the whole server (shared buffers once) before the largest queues are dropped; 0 = off. */
  maxOutputBytes: number;
  /** Memory for unfinished frames and lines over all TCP connections (0 = no limit). */
  maxInputBytes: number;
  /** Messages per second per connection (0 = no limit) and the burst allowed above it. */
  rateLimit: number;
  rateBurst: number;
  /** Bytes per second per connection (0 = no limit) and the burst allowed above it. */
  rateLimitBytes: number;
  rateBurstBytes: number;
  /** Seconds a connection may be held back by the flood limit without a break before it is closed; 0 = never. */
  floodDisconnect: number;
  /** Bytes of input already read but held back by the flood limit before the connection is closed. */
  maxInputQueue: number;
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
  /** Stored messages a member gets on joining a room; 0 = none. */
  history: number;
  /** The room every framed, line and page member is put in on connecting. */
  defaultRoom: string;
  /** Rooms one member may be in at once. */
  maxRoomsPerMember: number;
  /** Rooms the server holds at once. */
  maxRooms: number;
  /** Seconds an empty room is kept before it is forgotten (its history stays). */
  emptyRoomTtl: number;
  /** How much history to keep; pruned at start-up and every minute. */
  historyRetain: Retention;
  /** For tests only: caps the history database at this many 4 KiB pages, as a full disk would; 0 = no cap. */
  historyMaxPages: number;
  /** `redis://host:port` of the Redis that instances share one room through; null = this process alone. */
  redis: string | null;
  /** Prefix of every Redis key and channel: instances with the same prefix share one room. */
  redisPrefix: string;
  /** Seconds a silent (crashed) instance's members stay listed elsewhere. */
  redisPresenceTtl: number;
  /** Seconds Redis may take to answer before the link is declared down and chat goes local. */
  redisTimeout: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export { MAX_JOIN_HISTORY };

export const DEFAULT_CONFIG: ServerConfig = {
  ...DEFAULT_API_CONFIG,
  host: '127.0.0.1',
  tcpPort: DEFAULT_TCP_PORT,
  linePort: DEFAULT_LINE_PORT,
  httpPort: DEFAULT_HTTP_PORT,
  ircPort: DEFAULT_IRC_PORT,
  ircServerName: os.hostname(),
  ircNetwork: 'Switchboard',
  tlsCert: null,
  tlsKey: null,
  tlsTcpPort: DEFAULT_TLS_TCP_PORT,
  tlsLinePort: DEFAULT_TLS_LINE_PORT,
  httpsPort: DEFAULT_HTTPS_PORT,
  tlsIrcPort: DEFAULT_TLS_IRC_PORT,
  tlsOnly: false,
  tlsHandshakeTimeout: 10,
  password: null,
  passwordFile: null,
  admins: [],
  adminFile: null,
  accounts: false,
  allowedOrigins: [],
  allowedHosts: [],
  httpHeaderTimeout: 10,
  httpRequestTimeout: 30,
  httpKeepAliveTimeout: 5,
  historyRateLimit: 5,
  historyRateBurst: 20,
  maxPayload: DEFAULT_MAX_PAYLOAD,
  maxPendingBytes: 16 * 1024 * 1024,
  writeDeadline: 10,
  maxOutputBytes: 256 * 1024 * 1024,
  maxInputBytes: 64 * 1024 * 1024,
  rateLimit: 20,
  rateBurst: 40,
  rateLimitBytes: 256 * 1024,
  rateBurstBytes: 256 * 1024,
  floodDisconnect: 60,
  maxInputQueue: 256 * 1024,
  maxConnections: 10_000,
  maxConnectionsPerIp: 1_000,
  wsPingInterval: 25,
  idleTimeout: 0,
  presenceDelay: 100,
  shutdownTimeout: 5,
  logLevel: 'info',
  logPretty: false,
  /** The checkout's default; `switchboard serve` uses defaultDataDir() (the XDG state dir when installed). */
  dataDir: './data',
  history: 50,
  defaultRoom: '#lobby',
  maxRoomsPerMember: 50,
  maxRooms: 10_000,
  emptyRoomTtl: 600,
  historyRetain: { kind: 'count', messages: 100_000 },
  historyMaxPages: 0,
  redis: null,
  redisPrefix: 'switchboard:',
  redisPresenceTtl: 10,
  redisTimeout: 2,
};

/** Commander's parsed options → a complete, typed config. */
export function toServerConfig(options: Record<string, unknown>, stdoutIsTty: boolean): ServerConfig {
  return {
    ...toApiConfig(options),
    host: String(options['host'] ?? DEFAULT_CONFIG.host),
    tcpPort: Number(options['tcpPort'] ?? DEFAULT_CONFIG.tcpPort),
    linePort: Number(options['linePort'] ?? DEFAULT_CONFIG.linePort),
    httpPort: Number(options['httpPort'] ?? DEFAULT_CONFIG.httpPort),
    ircPort: Number(options['ircPort'] ?? DEFAULT_CONFIG.ircPort),
    ircServerName: String(options['ircServerName'] ?? DEFAULT_CONFIG.ircServerName),
    ircNetwork: String(options['ircNetwork'] ?? DEFAULT_CONFIG.ircNetwork),
    tlsCert: typeof options['tlsCert'] === 'string' ? options['tlsCert'] : DEFAULT_CONFIG.tlsCert,
    tlsKey: typeof options['tlsKey'] === 'string' ? options['tlsKey'] : DEFAULT_CONFIG.tlsKey,
    tlsTcpPort: Number(options['tlsTcpPort'] ?? DEFAULT_CONFIG.tlsTcpPort),
    tlsLinePort: Number(options['tlsLinePort'] ?? DEFAULT_CONFIG.tlsLinePort),
    httpsPort: Number(options['httpsPort'] ?? DEFAULT_CONFIG.httpsPort),
    tlsIrcPort: Number(options['tlsIrcPort'] ?? DEFAULT_CONFIG.tlsIrcPort),
    tlsOnly: typeof options['tlsOnly'] === 'boolean' ? options['tlsOnly'] : DEFAULT_CONFIG.tlsOnly,
    tlsHandshakeTimeout: Number(options['tlsHandshakeTimeout'] ?? DEFAULT_CONFIG.tlsHandshakeTimeout),
    password: typeof options['password'] === 'string' ? options['password'] : DEFAULT_CONFIG.password,
    passwordFile: typeof options['passwordFile'] === 'string' ? options['passwordFile'] : DEFAULT_CONFIG.passwordFile,
    admins: Array.isArray(options['admin']) ? options['admin'].map(String) : DEFAULT_CONFIG.admins,
    adminFile: typeof options['adminFile'] === 'string' ? options['adminFile'] : DEFAULT_CONFIG.adminFile,
    accounts: typeof options['accounts'] === 'boolean' ? options['accounts'] : DEFAULT_CONFIG.accounts,
    allowedOrigins: Array.isArray(options['allowedOrigins']) ? options['allowedOrigins'].map(String) : DEFAULT_CONFIG.allowedOrigins,
    allowedHosts: Array.isArray(options['allowedHosts']) ? options['allowedHosts'].map(String) : DEFAULT_CONFIG.allowedHosts,
    httpHeaderTimeout: Number(options['httpHeaderTimeout'] ?? DEFAULT_CONFIG.httpHeaderTimeout),
    httpRequestTimeout: Number(options['httpRequestTimeout'] ?? DEFAULT_CONFIG.httpRequestTimeout),
    httpKeepAliveTimeout: Number(options['httpKeepAliveTimeout'] ?? DEFAULT_CONFIG.httpKeepAliveTimeout),
    historyRateLimit: Number(options['historyRateLimit'] ?? DEFAULT_CONFIG.historyRateLimit),
    historyRateBurst: Number(options['historyRateBurst'] ?? DEFAULT_CONFIG.historyRateBurst),
    maxPayload: Number(options['maxPayload'] ?? DEFAULT_CONFIG.maxPayload),
    maxPendingBytes: Number(options['maxPendingBytes'] ?? DEFAULT_CONFIG.maxPendingBytes),
    writeDeadline: Number(options['writeDeadline'] ?? DEFAULT_CONFIG.writeDeadline),
    maxOutputBytes: Number(options['maxOutputBytes'] ?? DEFAULT_CONFIG.maxOutputBytes),
    maxInputBytes: Number(options['maxInputBytes'] ?? DEFAULT_CONFIG.maxInputBytes),
    rateLimit: Number(options['rateLimit'] ?? DEFAULT_CONFIG.rateLimit),
    rateBurst: Number(options['rateBurst'] ?? DEFAULT_CONFIG.rateBurst),
    rateLimitBytes: Number(options['rateLimitBytes'] ?? DEFAULT_CONFIG.rateLimitBytes),
    rateBurstBytes: Number(options['rateBurstBytes'] ?? DEFAULT_CONFIG.rateBurstBytes),
    floodDisconnect: Number(options['floodDisconnect'] ?? DEFAULT_CONFIG.floodDisconnect),
    maxInputQueue: Number(options['maxInputQueue'] ?? DEFAULT_CONFIG.maxInputQueue),
    maxConnections: Number(options['maxConnections'] ?? DEFAULT_CONFIG.maxConnections),
    maxConnectionsPerIp: Number(options['maxConnectionsPerIp'] ?? DEFAULT_CONFIG.maxConnectionsPerIp),
    wsPingInterval: Number(options['wsPingInterval'] ?? DEFAULT_CONFIG.wsPingInterval),
    idleTimeout: Number(options['idleTimeout'] ?? DEFAULT_CONFIG.idleTimeout),
    presenceDelay: Number(options['presenceDelay'] ?? DEFAULT_CONFIG.presenceDelay),
    shutdownTimeout: Number(options['shutdownTimeout'] ?? DEFAULT_CONFIG.shutdownTimeout),
    logLevel: (options['logLevel'] as LogLevel | undefined) ?? DEFAULT_CONFIG.logLevel,
    logPretty: typeof options['logPretty'] === 'boolean' ? options['logPretty'] : stdoutIsTty,
    dataDir: String(options['dataDir'] ?? defaultDataDir()),
    history: Number(options['history'] ?? DEFAULT_CONFIG.history),
    defaultRoom: String(options['defaultRoom'] ?? DEFAULT_CONFIG.defaultRoom),
    maxRoomsPerMember: Number(options['maxRoomsPerMember'] ?? DEFAULT_CONFIG.maxRoomsPerMember),
    maxRooms: Number(options['maxRooms'] ?? DEFAULT_CONFIG.maxRooms),
    emptyRoomTtl: Number(options['emptyRoomTtl'] ?? DEFAULT_CONFIG.emptyRoomTtl),
    historyRetain: (options['historyRetain'] as Retention | undefined) ?? DEFAULT_CONFIG.historyRetain,
    historyMaxPages: Number(options['historyMaxPages'] ?? DEFAULT_CONFIG.historyMaxPages),
    redis: typeof options['redis'] === 'string' ? options['redis'] : DEFAULT_CONFIG.redis,
    redisPrefix: String(options['redisPrefix'] ?? DEFAULT_CONFIG.redisPrefix),
    redisPresenceTtl: Number(options['redisPresenceTtl'] ?? DEFAULT_CONFIG.redisPresenceTtl),
    redisTimeout: Number(options['redisTimeout'] ?? DEFAULT_CONFIG.redisTimeout),
  };
}
