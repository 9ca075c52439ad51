import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClientKind } from '../clients/bench-client.js';
import type { Endpoint } from '../generator/protocol.js';
import type { MissingPeer, Target } from './target.js';

const SERVER_SCRIPT = fileURLToPath(new URL('../peers/socket-io-server.js', import.meta.url));

/** The Socket.IO chat-example server in its own process, or missing when socket.io is not installed. */
export async function startSocketIoTarget(): Promise<Target | MissingPeer> {
  if (!existsSync(SERVER_SCRIPT)) return { missing: true, name: 'socket.io', why: `${SERVER_SCRIPT} not built` };
  const child = spawn(process.execPath, [SERVER_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number | null>((resolve) => {
    function onOutput(chunk: Buffer): void {
      output += chunk.toString('utf8');
      const match = /"port":(\d+)/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    }
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('exit', () => resolve(null));
    child.once('error', () => resolve(null));
  });
  if (port === null) return { missing: true, name: 'socket.io', why: `peer server did not start: ${output.trim().slice(0, 300)}` };
  return new SocketIoTarget(child, port);
}

class SocketIoTarget implements Target {
  readonly name = 'socket.io' as const;
  readonly flags: readonly string[] = [];
  readonly kinds: readonly ClientKind[] = ['sio'];

  constructor(
    private readonly child: ChildProcess,
    private readonly port: number,
  ) {}

  readonly helperPids: readonly number[] = [];

  get pids(): readonly (number | undefined)[] {
    return [this.child.pid];
  }

  get endpoints(): readonly Endpoint[] {
    return [{ server: 'socket.io', port: this.port }];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
