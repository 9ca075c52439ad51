import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import type { Channel } from '../channel/channel.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { freePort } from './server-process.js';
import { onceWithin } from './deadline.js';

/**
 * Finding a real Redis for the scale-out tests: `REDIS_URL` if set, else 127.0.0.1:6379, else a
 * `redis-server` from PATH started on a free port. When none can be had the tests are skipped with
 * the reason, except under CI (`CI=true`), where a skip would hide that nothing was tested: there
 * it is a failure.
 */
export interface RedisForTests {
  url: string;
  stop(): Promise<void>;
}

/** `{ skip: reason }` for node:test when there is no Redis; throws instead under CI. */
export function skipUnlessRedis(available: RedisForTests | string): { skip?: string } {
  if (typeof available !== 'string') return {};
  if (process.env['CI'] === 'true') throw new Error(`the Redis tests cannot run under CI: ${available}`);
  return { skip: available };
}

/** A fresh key prefix, so test runs (and tests) never see each other's servers. */
export function testPrefix(): string {
  return `switchboard-test:${randomBytes(6).toString('hex')}:`;
}

/** The room `name` as one instance of a Redis-linked server holds it; throws if it does not. */
export function roomOn(server: RunningSwitchboard, name: string): Channel {
  const channel = server.hub.rooms.find(name);
  if (channel === undefined) throw new Error(`the instance holds no room ${name}`);
  return channel;
}

/** Whether the instance holds the room `name` (it opens one on a remote member's join). */
export function holdsRoom(server: RunningSwitchboard, name: string): boolean {
  return server.hub.rooms.find(name) !== undefined;
}

/** Whether `server` lists a member called `name` in `room` (a local or a remote one). */
export function listsMember(server: RunningSwitchboard, room: string, name: string): boolean {
  return holdsRoom(server, room) && roomOn(server, room).list().some((member) => member.name === name);
}

/** What `/healthz` says of the link to Redis (`up`, `down`), or undefined without one. */
export async function redisStatus(server: RunningSwitchboard): Promise<string | undefined> {
  const health = (await (await fetch(`http://127.0.0.1:${server.ports.http}/healthz`)).json()) as { redis?: { status: string } };
  return health.redis?.status;
}

/** Waits a fixed time on purpose: to show that something does NOT happen within it. */
export function quietFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Deletes every key under one test prefix, so runs leave nothing behind in a shared Redis. */
export async function dropRoom(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // Redis already gone (a test stopped it): nothing to clean.
  } finally {
    redis.disconnect();
  }
}

/** True if something answers PING with PONG at host:port within a second. */
export async function redisAnswers(host: string, port: number): Promise<boolean> {
  const socket = net.connect(port, host);
  socket.on('error', () => undefined);
  try {
    const answer = new Promise<boolean>((resolve) => {
      socket.once('data', (data: Buffer) => resolve(data.toString('latin1').startsWith('+PONG')));
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
      setTimeout(() => resolve(false), 1000).unref();
    });
    socket.write('PING\r\n');
    return await answer;
  } finally {
    socket.destroy();
  }
}

/** The Redis to use, or why there is none. */
export async function findRedis(): Promise<RedisForTests | string> {
  const fromEnv = process.env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const url = new URL(fromEnv);
    if (await redisAnswers(url.hostname, Number(url.port || 6379))) return { url: fromEnv, stop: async () => undefined };
    return `REDIS_URL=${fromEnv} does not answer`;
  }
  if (await redisAnswers('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', stop: async () => undefined };
  return startRedisServer();
}

/** Whether `redis-server` is on PATH. */
export function haveRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A private Redis that a test may kill, freeze and start again on the same port (nothing kept on disk). */
export interface PrivateRedis extends RedisForTests {
  readonly port: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** SIGSTOP by pid: the process keeps its port and connections but answers nothing (a frozen Redis). */
  freeze(): void;
  /** SIGCONT by pid: it reads and answers everything sent meanwhile. */
  thaw(): void;
}

/** `redis-server` from PATH on a free port, or why it cannot be started. */
export async function startRedisServer(): Promise<PrivateRedis | string> {
  if (!haveRedisServer()) return 'no Redis at REDIS_URL or 127.0.0.1:6379, and no redis-server on PATH';
  const port = await freePort();
  let child: ChildProcess | null = null;
  async function start(): Promise<void> {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers('127.0.0.1', port))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = onceWithin(running, 'exit', 10_000);
    // SIGKILL also ends a frozen (SIGSTOPped) process, so a failed freeze test leaves nothing behind.
    running.kill('SIGKILL');
    await exited;
  }
  function signal(name: 'SIGSTOP' | 'SIGCONT'): void {
    const running = child as ChildProcess | null;
    if (running?.pid === undefined || running.exitCode !== null) throw new Error(`redis-server on port ${port} is not running`);
    process.kill(running.pid, name);
  }
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: start,
    stop: kill,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
  };
}
