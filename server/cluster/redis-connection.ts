import { Redis, type RedisOptions } from 'ioredis';

/** Longest wait between reconnection attempts. */
export const BACKOFF_MAX_MS = 5_000;

/** Exponential backoff with jitter, capped: a Redis restart is not met by a thundering herd. */
function retryDelay(attempt: number): number {
  const base = Math.min(BACKOFF_MAX_MS, 100 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * How the shared room talks to Redis: fail fast rather than queue (the room serves its own
 * members meanwhile), reconnect forever with backoff, and give up on a Redis that stops answering
 * after `timeoutMs`.
 */
function connectionOptions(timeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A command is never sent twice: a publish that failed may have been shown locally already.
    autoResendUnfulfilledCommands: false,
    connectTimeout: 5_000,
    // A frozen Redis (SIGSTOP, a stuck host) keeps its connections open and answers nothing: no
    // byte for this long while an answer is owed drops the connection as dead (and reconnection
    // starts), and no command waits longer than this for its answer.
    socketTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: retryDelay,
  };
}

/** The commands connection, connected; rejects with one sentence saying which Redis and why. */
export async function openRedis(url: string, timeoutMs: number): Promise<Redis> {
  const redis = new Redis(url, connectionOptions(timeoutMs));
  let lastError: Error | null = null;
  redis.on('error', function redisError(error: Error) {
    // Outages are reported through 'close' / 'ready'; the error itself says why a start failed.
    lastError = error;
  });
  const failure = await redis.connect().then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (failure !== null) {
    redis.disconnect();
    const why = (lastError as Error | null)?.message ?? failure.message;
    throw new Error(`cannot reach Redis at ${url}: ${why}`);
  }
  return redis;
}
