import type { RateLimits } from '../../shared/events.js';
import { DEFAULT_MAX_PAYLOAD } from '../../shared/limits.js';
import type { InputLimits } from './input-flow.js';

/**
 * The hub's limits; every one is a `serve` flag and env var (see README). The output side of the
 * policy (slow consumers) is the OutputPolicy's, where every byte written is seen.
 */
export interface HubLimits extends InputLimits {
  /** Rooms one member may be in at once. */
  maxRoomsPerMember: number;
  /** Rooms the server holds at once (empty ones are forgotten after `emptyRoomTtlMs`). */
  maxRooms: number;
  /** Milliseconds an empty room is kept (its topic, its place in `/rooms`) before it is forgotten. */
  emptyRoomTtlMs: number;
  /** Largest message a client may send, in bytes; announced in the welcome. */
  maxPayload: number;
  /** Milliseconds without receiving anything before a connection is closed; 0 = never. */
  idleTimeoutMs: number;
  /**
   * Milliseconds joins and leaves are collected before one notice announces them all; 0 announces
   * each at once. Chat lines and nick changes flush the batch first, so order is kept.
   */
  presenceDelayMs: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = {
  maxRoomsPerMember: 50,
  maxRooms: 10_000,
  emptyRoomTtlMs: 10 * 60_000,
  maxPayload: DEFAULT_MAX_PAYLOAD,
  rateLimit: 20,
  rateBurst: 40,
  rateLimitBytes: 256 * 1024,
  rateBurstBytes: 256 * 1024,
  floodDisconnectMs: 60_000,
  maxInputQueue: 256 * 1024,
  idleTimeoutMs: 0,
  presenceDelayMs: 100,
};

/** The flood limit as a welcome announces it (0 = off). */
export function announcedLimits(limits: HubLimits): RateLimits {
  return {
    messagesPerSecond: limits.rateLimit,
    messageBurst: limits.rateLimit > 0 ? limits.rateBurst : 0,
    bytesPerSecond: limits.rateLimitBytes,
    byteBurst: limits.rateLimitBytes > 0 ? limits.rateBurstBytes : 0,
  };
}

/**
 * The limits in the text welcome, in a form people read and `switchboard connect` parses:
 * `limits: 20 messages/s (burst 40), 262144 bytes/s (burst 262144), 65536 bytes per message`.
 */
export function describeLimits(limits: HubLimits): string {
  const parts: string[] = [];
  if (limits.rateLimit > 0) parts.push(`${limits.rateLimit} messages/s (burst ${limits.rateBurst})`);
  if (limits.rateLimitBytes > 0) parts.push(`${limits.rateLimitBytes} bytes/s (burst ${limits.rateBurstBytes})`);
  parts.push(`${limits.maxPayload} bytes per message`);
  return `limits: ${parts.join(', ')}`;
}
