import type { Retention } from './history-store.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `--history-retain`: a bare whole number is a message count (`100000`), a number with a unit
 * is an age (`90s`, `30m`, `24h`, `7d`, `2w`), and `0` or `all` keeps everything. Returns null
 * for anything else, so the CLI can say what it expected.
 */
export function parseRetention(value: string): Retention | null {
  const text = value.trim().toLowerCase();
  if (text === 'all' || text === '0') return { kind: 'all' };
  if (/^\d+$/.test(text)) {
    const messages = Number(text);
    return Number.isSafeInteger(messages) ? { kind: 'count', messages } : null;
  }
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text);
  if (match === null) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms > 0 && Number.isFinite(ms) ? { kind: 'age', ms } : null;
}

/** The policy as a person would write it back, for logs and --help. */
export function describeRetention(retention: Retention): string {
  if (retention.kind === 'all') return 'all messages';
  if (retention.kind === 'count') return `the newest ${retention.messages} messages`;
  return `messages younger than ${retention.ms / 1000} s`;
}
