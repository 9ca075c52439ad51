import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ClientKind } from '../clients/bench-client.js';
import type { Endpoint } from '../generator/protocol.js';
import { pidsNamed } from '../proc-stats.js';
import { dropRoom, findRedis } from '../../server/test-support/redis.js';
import { type ServerProcess, startServerProcess } from '../../server/test-support/server-process.js';
import { BASE_FLAGS } from './switchboard-target.js';
import type { MissingPeer, Target } from './target.js';

/** The Redis the two-instance runs share their room through. */
export interface RedisPeer {
  readonly missing: false;
  readonly url: string;
  /** The redis-server process when it can be told (for its CPU), else undefined. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** The redis-server serving `port`: its title is `redis-server HOST:PORT`; else the only one running. */
function redisPid(port: string): number | undefined {
  const all = pidsNamed('redis-server');
  const onPort = all.filter(function servesPort(pid) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`:${port}`);
    } catch {
      return false;
    }
  });
  if (onPort.length === 1) return onPort[0];
  return all.length === 1 ? all[0] : undefined;
}

/**
 * The Redis of the scale-out tests (server/test-support/redis.ts): REDIS_URL, else the one on
 * 127.0.0.1:6379, else a `redis-server` from PATH on a free port; missing with the reason.
 */
export async function findBenchRedis(): Promise<RedisPeer | MissingPeer> {
  const found = await findRedis();
  if (typeof found === 'string') return { missing: true, name: 'switchboard×2', why: found };
  return { missing: false, url: found.url, pid: redisPid(new URL(found.url).port || '6379'), stop: () => found.stop() };
}

/**
 * Two `switchboard serve` processes on free ports sharing one room through Redis, under a fresh
 * key prefix, with the same raised limits as a single instance; missing with the reason when
 * they do not come up.
 */
export async function startSwitchboardPair(redis: RedisPeer, raised: readonly string[]): Promise<Target | MissingPeer> {
  const prefix = `switchboard-bench:${randomBytes(6).toString('hex')}:`;
  const flags = [...raised, '--redis', redis.url, '--redis-prefix', prefix];
  const servers: ServerProcess[] = [];
  try {
    // One after the other: each takes its three free ports just before it binds them.
    for (let instance = 0; instance < 2; instance += 1) servers.push(await startServerProcess(undefined, [...BASE_FLAGS, ...flags]));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    await dropRoom(redis.url, prefix);
    return { missing: true, name: 'switchboard×2', why: `instance ${servers.length + 1} of 2 did not start with --redis ${redis.url}: ${(error as Error).message.slice(0, 300)}` };
  }
  return new SwitchboardPairTarget(servers, flags, redis, prefix);
}

class SwitchboardPairTarget implements Target {
  readonly name = 'switchboard×2' as const;
  readonly kinds: readonly ClientKind[] = ['tcp', 'line', 'ws'];
  readonly helperPids: readonly number[];

  constructor(
    private readonly servers: readonly ServerProcess[],
    readonly flags: readonly string[],
    private readonly redis: RedisPeer,
    private readonly prefix: string,
  ) {
    this.helperPids = redis.pid === undefined ? [] : [redis.pid];
  }

  get pids(): readonly (number | undefined)[] {
    return this.servers.map((server) => server.child.pid);
  }

  /** Instance A takes the first half of the clients (and of the senders), B the second. */
  get endpoints(): readonly Endpoint[] {
    return this.servers.map((server): Endpoint => ({ server: 'switchboard', ...server.ports }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
    await dropRoom(this.redis.url, this.prefix);
  }
}
