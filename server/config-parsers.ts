import { InvalidArgumentError } from 'commander';
import type { Retention } from './history/history-store.js';
import { parseRetention } from './history/retention.js';
import { prepareRoomName, roomNameProblem } from '../shared/room-name.js';

/*
 * How each `serve` flag's value is read and checked: commander calls these, and an
 * InvalidArgumentError becomes one usage line naming the flag (exit 2).
 */

/** Most messages `--history` may replay to a joining member. */
export const MAX_JOIN_HISTORY = 1000;

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port (0-65535; 0 picks a free one)`);
  }
  return port;
}

/** `--irc-port`, `--tls-irc-port`: a port, where 0 means no IRC listener (not a free port: nobody looks one up). */
export function parseIrcPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port (0-65535; 0 turns the IRC listener off)`);
  }
  return port;
}

/** A name IRC carries as one word: no spaces, commas, colons first, or control characters. */
export function parseIrcToken(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (value === '' || /[\s,\x00-\x1f\x7f]/.test(value) || value.startsWith(':')) {
    throw new InvalidArgumentError(`"${value}" is not one IRC word (no spaces, commas or control characters)`);
  }
  return value;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a whole number ≥ 0`);
  return n;
}

export function parseRedisUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL like redis://127.0.0.1:6379`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new InvalidArgumentError(`"${value}" is not a redis:// or rediss:// URL`);
  return value;
}

export function parsePositiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a number of seconds > 0`);
  return n;
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a number of seconds ≥ 0`);
  return n;
}

export function parseHistoryCount(value: string): number {
  const n = parseCount(value);
  if (n > MAX_JOIN_HISTORY) throw new InvalidArgumentError(`"${value}" is over the maximum of ${MAX_JOIN_HISTORY}`);
  return n;
}

export function parseRetain(value: string): Retention {
  const retention = parseRetention(value);
  if (retention === null) {
    throw new InvalidArgumentError(`"${value}" is neither a message count (10000) nor an age (90s, 30m, 24h, 7d, 2w), nor 0/all`);
  }
  return retention;
}

export function parseRoomName(value: string): string {
  const name = prepareRoomName(value);
  const problem = roomNameProblem(name);
  if (problem !== null) throw new InvalidArgumentError(`"${value}" is not a room name: ${problem}`);
  return name;
}

export function parseDataDir(value: string): string {
  if (value.trim().length === 0) throw new InvalidArgumentError('the data dir must not be empty (use :memory: for none)');
  return value;
}

export function parseFile(value: string): string {
  if (value.trim().length === 0) throw new InvalidArgumentError('the file name must not be empty');
  return value;
}

/** A server password: one line, not empty (a newline could never be typed after `/pass`). */
export function parsePassword(value: string): string {
  if (value === '') throw new InvalidArgumentError('the password must not be empty (leave the flag out for none)');
  if (/[\r\n]/.test(value)) throw new InvalidArgumentError('the password must be one line');
  return value;
}

/** `--admin NAME=SECRET` (repeatable): collected in order; the name has no space, the secret is one line. */
export function parseAdmin(value: string, previous: string[] | undefined): string[] {
  if (!/^[^\s=]+=[^\r\n]+$/.test(value)) throw new InvalidArgumentError('expected NAME=SECRET (a name without spaces, a secret of one line)');
  return [...(previous ?? []), value];
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

export function parseBool(value: string | boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new InvalidArgumentError(`"${value}" is not a boolean (true/false)`);
}
