import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { ClientKind } from '../clients/bench-client.js';
import { pidsNamed } from '../proc-stats.js';
import { freePort } from '../../server/test-support/server-process.js';
import type { MissingPeer, Target } from './target.js';

const DEFAULT_PORT = 4222;

/** A reachable nats-server: the machine's own on 4222, or one this bench started. */
export interface NatsPeer {
  readonly missing: false;
  readonly port: number;
  readonly version: string;
  readonly pid: number | undefined;
  readonly startedHere: boolean;
  /** A fresh subject for one workload's room, so runs never see each other's traffic. */
  openRoom(): Target;
  stop(): Promise<void>;
}

/** The INFO line a NATS server sends first, or null when nothing answers like NATS. */
async function readInfo(port: number, timeoutMs: number): Promise<{ version: string } | null> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', function ignoreProbeError() {});
  try {
    const first = await Promise.race([
      once(socket, 'data').then(([chunk]) => (chunk as Buffer).toString('latin1')),
      once(socket, 'error').then(() => null),
      new Promise<null>((resolve) => setTimeout(resolve, timeoutMs, null)),
    ]);
    if (first === null || !first.startsWith('INFO ')) return null;
    const info = JSON.parse(first.slice(5, first.indexOf('\r\n'))) as { version?: string };
    return { version: info.version ?? 'unknown' };
  } catch {
    return null;
  } finally {
    socket.destroy();
  }
}

/** The nats-server on 127.0.0.1:4222 when one answers, else one from PATH on a free port, else missing. */
export async function findNats(): Promise<NatsPeer | MissingPeer> {
  const running = await readInfo(DEFAULT_PORT, 1000);
  if (running !== null) {
    const pids = pidsNamed('nats-server');
    // With one nats-server process on the machine, that is the one on 4222; else CPU is not told.
    return natsPeer(DEFAULT_PORT, running.version, pids.length === 1 ? pids[0] : undefined, null);
  }
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await Promise.race([once(child, 'spawn'), once(child, 'error').then(([error]) => Promise.reject(error as Error))]);
  } catch (error) {
    return { missing: true, name: 'nats', why: `nothing on 127.0.0.1:${DEFAULT_PORT} and nats-server not startable from PATH (${(error as Error).message})` };
  }
  for (let tries = 0; tries < 50; tries += 1) {
    const info = await readInfo(port, 200);
    if (info !== null) return natsPeer(port, info.version, child.pid, child);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  return { missing: true, name: 'nats', why: 'nats-server from PATH did not answer' };
}

let roomCounter = 0;

function natsPeer(port: number, version: string, pid: number | undefined, child: ChildProcess | null): NatsPeer {
  return {
    missing: false,
    port,
    version,
    pid,
    startedHere: child !== null,
    openRoom(): Target {
      roomCounter += 1;
      const subject = `switchboard-bench.${process.pid}.${Date.now().toString(36)}.${roomCounter}`;
      return {
        name: 'nats',
        pids: [pid],
        helperPids: [],
        flags: [],
        kinds: ['nats'] satisfies ClientKind[],
        endpoints: [{ server: 'nats', port, subject }],
        async stop() {},
      };
    },
    async stop() {
      if (child === null || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
