/** The room's per-member limits; every one is a `serve` flag and env var (see README). */
export interface RoomLimits {
  /** Bytes a member may have queued but unsent before it is dropped as a slow consumer. */
  maxPendingBytes: number;
  /** Messages per second per connection; 0 turns flood limiting off. */
  rateLimit: number;
  /** Messages a connection may send at once before the rate applies. */
  rateBurst: number;
  /** Refused messages in a row (flooding on) after which the connection is closed. */
  floodDisconnectAfter: number;
  /** Milliseconds without receiving anything before a connection is closed; 0 = never. */
  idleTimeoutMs: number;
  /**
   * Milliseconds joins and leaves are collected before one notice announces them all; 0 announces
   * each at once. Chat lines and nick changes flush the batch first, so order is kept.
   */
  presenceDelayMs: number;
}

export const DEFAULT_ROOM_LIMITS: RoomLimits = {
  maxPendingBytes: 1024 * 1024,
  rateLimit: 20,
  rateBurst: 40,
  floodDisconnectAfter: 100,
  idleTimeoutMs: 0,
  presenceDelayMs: 100,
};
