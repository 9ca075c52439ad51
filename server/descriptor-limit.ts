import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/**
 * Descriptors kept free of sockets: for the history database and its WAL, log output, static
 * files being sent (one descriptor each while in flight), a Redis reconnect, DNS. When sockets
 * would eat into these, new sockets are refused (or an idle HTTP one is closed) instead, so the
 * process never reaches EMFILE, where libuv accepts and drops every newcomer on every port and
 * history writes and file reads fail.
 */
export const DESCRIPTOR_RESERVE = 64;

/** RLIMIT_NOFILE of this process. */
export interface DescriptorLimit {
  soft: number;
  hard: number;
}

/** What start-up found and did, for the log. */
export interface DescriptorReport extends DescriptorLimit {
  /** The soft limit before this process raised it itself, when it had to. */
  raisedFrom?: number;
  /** Why the soft limit is still below the hard one, when it is. */
  raiseFailed?: string;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
  return value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
}

/** The limit from /proc (Linux); null elsewhere or when it cannot be read. */
export function readDescriptorLimit(pid: number | 'self' = 'self'): DescriptorLimit | null {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').slice('Max open files'.length).trim().split(/\s+/);
    const limit = { soft: parseLimit(soft), hard: parseLimit(hard) };
    return Number.isNaN(limit.soft) || Number.isNaN(limit.hard) ? null : limit;
  } catch {
    return null;
  }
}

/** Descriptors this process has open now (Linux); null when /proc/self/fd cannot be read. */
export function openDescriptors(): number | null {
  try {
    // The listing itself holds one descriptor on the folder while it reads.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return null;
  }
}

/**
 * Makes the soft RLIMIT_NOFILE the hard one. Node does this itself at start on Linux and macOS
 * (node.cc, PlatformInit), so this mostly confirms it; when the soft limit is still lower (an
 * embedder that turned that off, or a limit lowered afterwards), Node has no setrlimit, so the
 * process asks util-linux's `prlimit --pid` to raise its own limit (allowed up to the hard limit
 * without privileges). Never throws: a server with a lower limit still runs, and says so.
 */
export function raiseDescriptorLimit(): DescriptorReport | null {
  const before = readDescriptorLimit();
  if (before === null || before.soft >= before.hard || !Number.isFinite(before.hard)) return before;
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${before.hard}:${before.hard}`], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ...before, raiseFailed: `prlimit failed: ${why}` };
  }
  const after = readDescriptorLimit() ?? before;
  return after.soft > before.soft ? { ...after, raisedFrom: before.soft } : { ...after, raiseFailed: 'prlimit did not change it' };
}

/** Sockets the gate may hold: the soft limit, less what is open besides sockets, less the reserve. */
export function socketCapacity(limit: DescriptorLimit, openNow: number): number {
  return Math.max(1, limit.soft - openNow - DESCRIPTOR_RESERVE);
}
