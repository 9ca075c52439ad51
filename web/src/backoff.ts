/** Reconnect delays: first retry after at most half a second, doubling up to ten seconds. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 10_000;

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry). Pure, so it can be
 * checked without timers; `random` is a number in [0, 1).
 * Jitter keeps the upper half of the window random: when the server restarts, every open page
 * notices at the same instant, and without jitter they would all knock again in lockstep.
 */
export function reconnectDelay(attempt: number, random: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** WebSocket close codes by which a server says "not now": 1001 going away, 1013 try again later. */
const SERVER_SAYS_WAIT: ReadonlySet<number> = new Set([1001, 1013]);
/** The attempt number a "not now" close skips to: its first retry comes after 2 to 4 seconds. */
export const WAIT_ATTEMPT = 3;

/**
 * The attempt number to back off from after a close with `code`. A server that shuts down (its
 * notice, then 1001) or is full (1013) would refuse a retry a quarter second later, and every open
 * page would knock at once: start from seconds instead. A restart takes about that long.
 */
export function attemptAfterClose(attempt: number, code: number): number {
  return SERVER_SAYS_WAIT.has(code) ? Math.max(attempt, WAIT_ATTEMPT) : attempt;
}
