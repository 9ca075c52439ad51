import type { Logger } from 'pino';
import { isSwitchboardError } from '../../shared/errors.js';
import type { ServerConfig } from '../config.js';

type PortKey = 'tcpPort' | 'linePort' | 'httpPort' | 'ircPort' | 'tlsTcpPort' | 'tlsLinePort' | 'httpsPort' | 'tlsIrcPort';

const PLAIN_PORT_FLAGS: readonly (readonly [PortKey, string])[] = [
  ['tcpPort', '--tcp-port'],
  ['linePort', '--line-port'],
  ['httpPort', '--http-port'],
  ['ircPort', '--irc-port'],
];

const TLS_PORT_FLAGS: readonly (readonly [PortKey, string])[] = [
  ['tlsTcpPort', '--tls-tcp-port'],
  ['tlsLinePort', '--tls-line-port'],
  ['httpsPort', '--https-port'],
  ['tlsIrcPort', '--tls-irc-port'],
];

/** Each listener this config opens, with the flag that sets its port, in the order startSwitchboard opens them. */
function portFlags(config: ServerConfig): readonly (readonly [PortKey, string])[] {
  return [...(config.tlsOnly ? [] : PLAIN_PORT_FLAGS), ...(config.tlsCert === null ? [] : TLS_PORT_FLAGS)];
}

/** What Node puts on a failed `listen` (and on a failed lookup of the host it was given). */
interface ListenFailure {
  code?: string;
  syscall?: string;
  port?: number;
  hostname?: string;
}

/**
 * Two flags given the same port: the second listener would fail as "in use", by this very
 * server, and blame the wrong flag. Said before anything starts. Port 0 (a free one) never clashes.
 */
export function portClash(config: ServerConfig): string | null {
  const seen = new Map<number, string>();
  for (const [key, flag] of portFlags(config)) {
    const port = config[key];
    if (port === 0) continue;
    const first = seen.get(port);
    if (first !== undefined) return `${first} and ${flag} are both ${port}; each needs its own port`;
    seen.set(port, flag);
  }
  return null;
}

function portFlag(config: ServerConfig, port: number | undefined): string {
  const match = portFlags(config).find(([key]) => config[key] === port);
  return match === undefined ? 'port' : match[1];
}

/**
 * One line for a start-up failure the user can fix (a port in use, a `--host` that is not this
 * machine's, an unusable data dir), naming the flag to change; null for anything else, which is
 * a bug whose stack is worth showing.
 */
export function describeStartupFailure(error: unknown, config: ServerConfig): string | null {
  if (isSwitchboardError(error)) return error.message;
  if (!(error instanceof Error)) return null;
  const { code, syscall, port, hostname } = error as Error & ListenFailure;
  const host = config.host;
  if (code === 'EADDRINUSE') return `port ${port} (${portFlag(config, port)}) is already in use`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${host} (--host): not an address of this machine`;
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && hostname === host) return `cannot listen on ${host} (--host): no such host`;
  if (syscall === 'listen') return `cannot listen on port ${port} (${portFlag(config, port)}): ${code ?? error.message}`;
  return null;
}

/** The error for the fatal record: what and why, no stack (that is in the debug record). */
function withoutStack(error: Error & { code?: string }): { type: string; code?: string; message: string } {
  return { type: error.name, code: error.code, message: error.message };
}

/**
 * Reports why `serve` could not start. A fixable failure is one plain line on stderr (the whole
 * error, stack included, is logged at debug level); with JSON logs a fatal record says it too,
 * so a log shipper knows why the service stopped. Anything else is logged with its stack.
 */
export function reportStartupFailure(error: unknown, config: ServerConfig, logger: Logger, stderr: NodeJS.WritableStream = process.stderr): void {
  const reason = describeStartupFailure(error, config);
  if (reason === null) {
    logger.fatal({ err: error }, 'could not start');
    return;
  }
  logger.debug({ err: error }, 'could not start');
  if (!config.logPretty) logger.child({}, { serializers: { err: withoutStack } }).fatal({ reason, err: error }, 'could not start');
  stderr.write(`switchboard: ${reason}\n`);
}
