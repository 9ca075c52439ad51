import type { Transport } from '../shared/events.js';
import type { ErrorCode } from '../shared/errors.js';

type PerTransport = Record<Transport, number>;

function perTransport(): PerTransport {
  return { tcp: 0, line: 0, ws: 0 };
}

/**
 * Plain integer counters bumped on the hot path by the room and the adapters; /metrics reads
 * them when scraped. Cheaper than labelled prom-client counters per delivery.
 */
export class TrafficStats {
  readonly connectionsOpened = perTransport();
  readonly messagesIn = perTransport();
  /** Chat messages delivered (one per recipient). */
  readonly messagesOut = perTransport();
  readonly noticesOut = perTransport();
  readonly bytesIn = perTransport();
  readonly bytesOut = perTransport();
  readonly errors = new Map<ErrorCode, number>();

  countError(code: ErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}
