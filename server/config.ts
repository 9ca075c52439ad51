import { InvalidArgumentError, Option } from 'commander';
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
  logLevel: LogLevel;
  logPretty: boolean;
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
  logLevel: 'info',
  logPretty: false,
};

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
    logLevel: (options['logLevel'] as LogLevel | undefined) ?? DEFAULT_CONFIG.logLevel,
    logPretty: typeof options['logPretty'] === 'boolean' ? options['logPretty'] : stdoutIsTty,
  };
}
