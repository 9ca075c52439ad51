import type { Clock } from '../message/clock.js';
import { TokenBucket } from '../../shared/token-bucket.js';

/** The input side of the flood policy; each is a `serve` flag (see docs/security.md). */
export interface InputLimits {
  /** Messages per second per connection; 0 = no message limit. */
  rateLimit: number;
  /** Messages a connection may send at once before the rate applies. */
  rateBurst: number;
  /** Bytes per second per connection; 0 = no byte limit. */
  rateLimitBytes: number;
  /** Bytes a connection may send at once before the byte rate applies. */
  rateBurstBytes: number;
  /** Milliseconds a connection may be held back without a break before it is closed; 0 = never. */
  floodDisconnectMs: number;
  /** Bytes of input held back (already read, waiting for tokens) before the connection is closed. */
  maxInputQueue: number;
}

/** Anything that comes in: it costs one message and its size in bytes. */
export interface SizedInput {
  readonly bytes: number;
}

/** What a flow calls back, with its member: one handler (the room) serves every flow. */
export interface InputHandler<M, T> {
  /** Handle one item within the limits, in arrival order. */
  process(member: M, item: T): void;
  /** Stop or restart reading the member's connection (TCP back-pressure then paces the sender). */
  pauseInput(member: M): void;
  resumeInput(member: M): void;
  /** The member was held back for the first time in a run: tell it once. */
  slowedDown(member: M): void;
  /** Held back too long, or too much input waiting: the member must go. */
  flooding(member: M, why: string): void;
}

/**
 * What one held item costs toward `maxInputQueue` beyond its bytes: ten thousand empty WebSocket
 * frames read in one chunk are ten thousand objects, not zero bytes.
 */
export const HELD_ITEM_OVERHEAD = 64;

function flowTimerFired(flow: { release(): void }): void {
  flow.release();
}

/**
 * One member's input under the flood limit: a message rate and a byte rate, both token buckets.
 * Over either, input is held back, not dropped (IRC servers' "fakelag"): the connection stops
 * being read until the tokens are back, so TCP back-pressure paces the sender and a paste arrives
 * whole and in order, only slower. What was already read waits here; it is bounded by
 * `maxInputQueue`, and a sender held back for `floodDisconnectMs` without a break is closed.
 */
export class InputFlow<M, T extends SizedInput> {
  private readonly messages: TokenBucket | null;
  private readonly bytes: TokenBucket | null;
  private held: T[] | null = null;
  private head = 0;
  private heldBytes = 0;
  /** When the current run of holding back began; null between runs. */
  private heldSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Set while an item's work goes on after it returned (a password hash): what follows waits for it. */
  private suspended = false;

  constructor(
    private readonly member: M,
    private readonly limits: InputLimits,
    private readonly clock: Clock,
    private readonly handler: InputHandler<M, T>,
  ) {
    const now = clock();
    this.messages = limits.rateLimit > 0 ? new TokenBucket(limits.rateLimit, Math.max(1, limits.rateBurst), now) : null;
    this.bytes = limits.rateLimitBytes > 0 ? new TokenBucket(limits.rateLimitBytes, Math.max(1, limits.rateBurstBytes), now) : null;
  }

  /** True while input waits for tokens or for suspended work (and the connection is paused). */
  get holding(): boolean {
    return this.suspended || this.queued;
  }

  private get queued(): boolean {
    return this.held !== null && this.head < this.held.length;
  }

  /** An item arrived: processed now if within the limits and nothing waits before it. */
  push(item: T): void {
    if (this.closed) return;
    if (this.suspended) {
      this.hold(item);
      this.handler.pauseInput(this.member);
      return;
    }
    if (this.holding) {
      this.hold(item);
      return;
    }
    const now = this.clock();
    const wait = this.waitFor(item, now);
    if (wait === 0) {
      this.spend(item);
      // Admitted without waiting: whatever run of flooding there was is over.
      this.heldSince = null;
      this.handler.process(this.member, item);
      return;
    }
    this.hold(item);
    if (this.closed) return;
    if (this.heldSince === null) {
      this.heldSince = now;
      this.handler.slowedDown(this.member);
    }
    this.handler.pauseInput(this.member);
    this.schedule(wait, now);
  }

  /** The timer: processes what the tokens now allow, in order; reads again once all is done. */
  release(): void {
    this.timer = null;
    const held = this.held;
    if (this.closed || this.suspended || held === null) return;
    while (this.head < held.length) {
      const item = held[this.head]!;
      const now = this.clock();
      const wait = this.waitFor(item, now);
      if (wait > 0) {
        this.schedule(wait, now);
        return;
      }
      this.spend(item);
      this.head += 1;
      this.heldBytes -= item.bytes + HELD_ITEM_OVERHEAD;
      this.handler.process(this.member, item);
      if (this.closed || this.suspended) return;
    }
    this.held = null;
    this.head = 0;
    this.handler.resumeInput(this.member);
  }

  /**
   * The item being processed goes on after it returns (`/login` waits for a password hash): input
   * after it is held, in order, and the connection is not read, until `resume`. So a line typed
   * after `/login` is said under the account's name, as it was typed.
   */
  suspend(): void {
    this.suspended = true;
  }

  /** The work `suspend` waited for is done: what was held runs now, then reading starts again. */
  resume(): void {
    if (!this.suspended || this.closed) return;
    this.suspended = false;
    if (this.queued) {
      if (this.timer === null) this.release();
    } else this.handler.resumeInput(this.member);
  }

  /** The member left: nothing held is processed. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.held = null;
  }

  private hold(item: T): void {
    (this.held ??= []).push(item);
    this.heldBytes += item.bytes + HELD_ITEM_OVERHEAD;
    if (this.heldBytes > this.limits.maxInputQueue) {
      this.handler.flooding(this.member, `flooding: ${this.heldBytes} bytes of input waiting, over the ${this.limits.maxInputQueue}-byte limit`);
    }
  }

  private schedule(wait: number, now: number): void {
    const limit = this.limits.floodDisconnectMs;
    if (limit > 0 && this.heldSince !== null && now - this.heldSince >= limit) {
      this.handler.flooding(this.member, `flooding: over the rate limit for ${limit / 1000} s without a break`);
      return;
    }
    if (this.timer === null) this.timer = setTimeout(flowTimerFired, wait, this);
  }

  private waitFor(item: T, now: number): number {
    const forMessages = this.messages?.waitFor(1, now) ?? 0;
    const forBytes = this.bytes?.waitFor(item.bytes, now) ?? 0;
    return Math.max(forMessages, forBytes);
  }

  private spend(item: T): void {
    this.messages?.spend(1);
    this.bytes?.spend(item.bytes);
  }
}
