import { once } from 'node:events';

/**
 * How long a test waits for something that should happen at once (a connect, a reply, a close)
 * before it fails saying what it waited for: a broken limit then fails the test in seconds instead
 * of hanging it until the runner's per-test timeout (or CI's limit).
 */
export const DEADLINE_MS = 5000;

/**
 * Events that come after an 'error' (a reset socket still closes, a child that failed still
 * exits): waiting for one of them, an error on the way is not the wait's failure. Node's `once()`
 * rejects on any 'error' before the event, which made a test that expects a refused socket's
 * ECONNRESET fail instead of seeing it close.
 */
const AFTER_ERROR: ReadonlySet<string> = new Set(['close', 'exit', 'end']);

/**
 * `once(emitter, event)` that rejects after `timeoutMs`, naming the event (and `what`, if given).
 * For 'close', 'exit' and 'end' an 'error' on the way is noted (and named if the deadline passes)
 * but does not end the wait.
 */
export async function onceWithin(emitter: NodeJS.EventEmitter, event: string, timeoutMs = DEADLINE_MS, what?: string): Promise<unknown[]> {
  const label = `'${event}'${what === undefined ? '' : ` (${what})`}`;
  if (AFTER_ERROR.has(event)) return onceAfterErrors(emitter, event, timeoutMs, label);
  try {
    return await once(emitter, event, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`, { cause: error });
    }
    throw error;
  }
}

function onceAfterErrors(emitter: NodeJS.EventEmitter, event: string, timeoutMs: number, label: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const noteError = (error: unknown): void => {
      lastError = error;
    };
    const finish = (): void => {
      clearTimeout(timer);
      emitter.off(event, happened);
      emitter.off('error', noteError);
    };
    function happened(...args: unknown[]): void {
      finish();
      resolve(args);
    }
    const timer = setTimeout(() => {
      finish();
      const after = lastError === undefined ? '' : ` (after an error: ${String(lastError)})`;
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}${after}`, { cause: lastError }));
    }, timeoutMs);
    emitter.on('error', noteError);
    emitter.once(event, happened);
  });
}

/** `promise`, or a rejection after `timeoutMs` naming `what` it was waiting for. */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
