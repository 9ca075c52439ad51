import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.js';

/**
 * The server's pino logger (the same instance is handed to Fastify). JSON lines by default, for
 * log shippers; pino-pretty's synchronous stream when a person is watching a terminal.
 */
export function createLogger(level: LogLevel, prettyOutput: boolean): Logger {
  if (!prettyOutput) return pino({ level, base: { pid: process.pid } });
  return pino({ level, base: undefined }, pretty({ colorize: true, sync: true, ignore: 'pid,hostname' }));
}
