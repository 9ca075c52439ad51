import { type Transport, perTransport } from '../shared/events.js';
import type { ErrorCode } from '../shared/errors.js';

type PerTransport = Record<Transport, number>;


/**
 * Plain integer counters bumped on the hot path by the room and the adapters; /metrics reads
 * them when scraped. Cheaper than labelled prom-client counters per delivery.
 */
export class TrafficStats {
  readonly connectionsOpened: PerTransport = perTransport();
  readonly messagesIn = perTransport();
  /** Chat messages delivered (one per recipient). */
  readonly messagesOut = perTransport();
  readonly noticesOut = perTransport();
  readonly bytesIn = perTransport();
  readonly bytesOut = perTransport();
  readonly errors = new Map<ErrorCode, number>();
  /** Direct messages delivered (or handed to the instance that holds the recipient). */
  directMessages = 0;

  countError(code: ErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}
