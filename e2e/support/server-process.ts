import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/switchboard.js', import.meta.url));

export interface Ports {
  tcp: number;
  line: number;
  http: number;
}

export interface ServerProcess {
  readonly ports: Ports;
  readonly url: string;
  readonly child: ChildProcess;
  /** Output so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * The real `switchboard serve` in its own process (what a user runs), on free ports unless
 * given ones (a restart reuses them). Resolves once its "listening" log line names the ports.
 */
export async function startServerProcess(ports: Ports = { tcp: 0, line: 0, http: 0 }, extraArgs: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--tcp-port', String(ports.tcp), '--line-port', String(ports.line), '--http-port', String(ports.http), '--log-pretty', 'false', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const listening = new Promise<Ports>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const line of output.split('\n')) {
        if (!line.includes('"listening')) continue;
        const entry = JSON.parse(line) as Ports;
        resolve({ tcp: entry.tcp, line: entry.line, http: entry.http });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  const actual = await listening;
  return {
    ports: actual,
    url: `http://127.0.0.1:${actual.http}/`,
    child,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
