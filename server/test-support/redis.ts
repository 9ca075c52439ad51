import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import { freePort } from './server-process.js';

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

/** A fresh key prefix, so test runs (and tests) never see each other's rooms. */
export function testPrefix(): string {
  return `switchboard-test:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key of one test room, so runs leave nothing behind in a shared Redis. */
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

/** A private Redis that a test may kill and start again on the same port (nothing kept on disk). */
export interface PrivateRedis extends RedisForTests {
  readonly port: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
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
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, restart: start, stop: kill };
}
