import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onceWithin } from './deadline.js';

/** The project root, found upwards from here: this file runs from server/ (Playwright) and dist/server/ (node --test). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'switchboard.js'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bin/switchboard.js not found above the test support folder');
    dir = parent;
  }
  return dir;
}

export const BIN = join(projectRoot(), 'bin', 'switchboard.js');

/**
 * The node flags of the launcher's shebang (`#!/usr/bin/env -S node FLAGS`), so a server spawned
 * here runs as `npm start` and `npx switchboard` run it.
 */
export const NODE_FLAGS: readonly string[] = (readFileSync(BIN, 'utf8').split('\n', 1)[0] ?? '').split(/\s+/).slice(3);

export interface Ports {
  tcp: number;
  line: number;
  http: number;
}

/** The TLS listeners' ports, when the server was given a certificate. */
export interface TlsPorts {
  tcp: number;
  line: number;
  https: number;
  /** 0 unless `--tls-irc-port` was given (tests leave the IRC ports off unless they ask). */
  irc: number;
}

export interface ServerProcess {
  readonly ports: Ports;
  /** From the "listening" line; null without --tls-cert (or when a quiet log hid that line). */
  readonly tlsPorts: TlsPorts | null;
  readonly url: string;
  readonly child: ChildProcess;
  /** Output so far, for failure messages. */
  log(): string;
  /** Resident memory now, and its peak so far (VmHWM), in bytes. */
  rssBytes(): number;
  peakRssBytes(): number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await onceWithin(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  await onceWithin(probe, 'close');
  return port;
}

/** Polls /healthz until the server answers; for runs whose log level hides the "listening" line. */
async function waitForHealthz(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('server did not come up');
}

/**
 * The real `switchboard serve` in its own process (what a user runs), on free ports unless
 * given ones (a restart reuses them). Resolves once its "listening" log line names the ports,
 * or, when extra arguments quiet the log below info, once /healthz answers. History goes to a
 * fresh temporary folder, removed by stop(), unless `extraArgs` names a `--data-dir`: tests never
 * write into the repo's ./data, and history is on disk as for a user (in memory it would count
 * in the server's RSS, which some tests bound). `options.launcher` runs node through a command
 * that execs it, such as `prlimit --nofile=SOFT:HARD`.
 */
export async function startServerProcess(ports: Ports = { tcp: 0, line: 0, http: 0 }, extraArgs: string[] = [], options: { launcher?: string[] } = {}): Promise<ServerProcess> {
  const levelAt = extraArgs.indexOf('--log-level');
  const quiet = levelAt !== -1 && !['info', 'debug', 'trace'].includes(extraArgs[levelAt + 1] ?? '');
  if (quiet) {
    ports = {
      tcp: ports.tcp || (await freePort()),
      line: ports.line || (await freePort()),
      http: ports.http || (await freePort()),
    };
  }
  const tempDir = extraArgs.includes('--data-dir') ? null : mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const dataDir = tempDir === null ? [] : ['--data-dir', tempDir];
  // A launcher (e.g. `prlimit --nofile=…`) execs node in the same process, so child.pid is the server's.
  const [command, ...launcherArgs] = [...(options.launcher ?? []), process.execPath];
  const child = spawn(
    command!,
    [...launcherArgs, ...NODE_FLAGS, BIN, 'serve', '--tcp-port', String(ports.tcp), '--line-port', String(ports.line), '--http-port', String(ports.http), ...(extraArgs.includes('--irc-port') ? [] : ['--irc-port', '0']), ...(extraArgs.includes('--tls-irc-port') ? [] : ['--tls-irc-port', '0']), '--log-pretty', 'false', ...dataDir, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let found: Ports | null = null;
  let tlsPorts: TlsPorts | null = null;
  const listening = new Promise<Ports>((resolve, reject) => {
    function onOutput(chunk: Buffer): void {
      output += chunk.toString('utf8');
      // Keep the tail only: a busy server logs a lot, and the test should not slow it down.
      if (output.length > 1_000_000) output = output.slice(-500_000);
      if (found !== null) return;
      const line = output.split('\n').find((entry) => entry.includes('"listening'));
      if (line === undefined) return;
      const entry = JSON.parse(line) as Partial<Ports> & { tlsTcp?: number; tlsLine?: number; https?: number; tlsIrc?: number };
      // --tls-only: no plain port is listed.
      found = { tcp: entry.tcp ?? 0, line: entry.line ?? 0, http: entry.http ?? 0 };
      if (entry.tlsTcp !== undefined && entry.tlsLine !== undefined && entry.https !== undefined) {
        tlsPorts = { tcp: entry.tlsTcp, line: entry.tlsLine, https: entry.https, irc: entry.tlsIrc ?? 0 };
      }
      resolve(found);
    }
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  let actual: Ports;
  if (quiet) {
    listening.catch(() => undefined);
    await waitForHealthz(ports.http, child);
    actual = ports;
  } else {
    actual = await listening;
  }
  return {
    ports: actual,
    tlsPorts,
    url: `http://127.0.0.1:${actual.http}/`,
    child,
    log: () => output,
    rssBytes: () => procStatusBytes(child.pid, 'VmRSS'),
    peakRssBytes: () => procStatusBytes(child.pid, 'VmHWM'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = onceWithin(child, 'exit', 20_000, 'the server process to stop on SIGTERM (up to its 5 s shutdown timeout)');
        child.kill('SIGTERM');
        await exited;
      }
      if (tempDir !== null) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** A field of /proc/PID/status in bytes (Linux): VmRSS now, VmHWM the peak. */
export function procStatusBytes(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match === null) throw new Error(`${field} not in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
