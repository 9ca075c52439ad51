import type { ClientKind } from '../clients/bench-client.js';
import type { Endpoint } from '../generator/protocol.js';
import { type ServerProcess, startServerProcess } from '../../server/test-support/server-process.js';
import type { Target } from './target.js';

/** Every Switchboard under test logs at warn (the brief): info logs every message, which would measure pino. */
export const BASE_FLAGS: readonly string[] = ['--log-level', 'warn'];

/** The real `switchboard serve` on free ports, default limits unless `raised` says otherwise. */
export async function startSwitchboardTarget(raised: readonly string[]): Promise<Target> {
  const server = await startServerProcess(undefined, [...BASE_FLAGS, ...raised]);
  return new SwitchboardTarget(server, raised);
}

class SwitchboardTarget implements Target {
  readonly name = 'switchboard' as const;
  readonly kinds: readonly ClientKind[] = ['tcp', 'line', 'ws'];

  constructor(
    private readonly server: ServerProcess,
    readonly flags: readonly string[],
  ) {}

  readonly helperPids: readonly number[] = [];

  get pids(): readonly (number | undefined)[] {
    return [this.server.child.pid];
  }

  get endpoints(): readonly Endpoint[] {
    return [{ server: 'switchboard', ...this.server.ports }];
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}
