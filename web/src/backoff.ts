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
