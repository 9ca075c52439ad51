import { formatTimestamp } from '../../shared/payload.js';

/** Epoch-milliseconds clock; injectable so tests can pin time. */
export type Clock = () => number;

export const systemClock: Clock = Date.now;

let cachedSecond = -1;
let cachedTimestamp = '';

/**
 * formatTimestamp with a one-entry cache: a burst of messages within one second, the common case
 * under load, formats the date once instead of once per message.
 */
export function timestampOf(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedTimestamp = formatTimestamp(second * 1000);
  }
  return cachedTimestamp;
}
