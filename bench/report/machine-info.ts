import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { openFileLimit } from '../proc-stats.js';
import type { MachineInfo } from '../results.js';

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

/** `nats-server --version` from PATH, when the peer's own INFO did not say. */
function natsServerOnPath(): string {
  try {
    return execFileSync('nats-server', ['--version'], { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return 'not on PATH';
  }
}

function socketIoVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve('socket.io/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function machineInfo(natsVersion: string | null, generatorThreads: number): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    natsServer: natsVersion === null ? natsServerOnPath() : `nats-server v${natsVersion}`,
    socketIo: socketIoVersion(),
    kernel: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
    openFileLimit: openFileLimit(),
    generatorThreads,
  };
}

/** The code measured, for the before/after comparison: `git describe --always --dirty`, or undefined outside a git checkout. */
export function currentCommit(): string | undefined {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
