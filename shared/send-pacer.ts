import type { RateLimits } from './events.js';
import { TokenBucket } from './token-bucket.js';

/**
 * How much of an announced limit a client uses: the server's clock and the network's jitter
 * are not the client's, so pacing exactly at the limit would be held back now and then.
 */
const SAFETY = 0.9;

/** Starts the wait for held lines: `ended` runs after `ms` unless the wait is cancelled first. */
export type PacerTimer = (ended: () => void, ms: number) => { cancel(): void };

/**
 * The real one: setTimeout, in Node and in the browser. Not unref'd: the command-line client
 * stays up while lines wait to be sent.
 */
export const realPacerTimer: PacerTimer = (ended, ms) => {
  const timer = setTimeout(ended, ms);
  return { cancel: () => clearTimeout(timer) };
};

/**
 * Paces what a client sends to the flood limit its server announced, so the server never has
 * to hold it back: lines wait here, in order, and each goes when both the message and the byte
 * budget allow. Without limits (an older server, or limits off) everything goes at once.
 */
export class SendPacer<T> {
  private readonly messages: TokenBucket | null;
  private readonly bytes: TokenBucket | null;
  private readonly queue: { item: T; size: number }[] = [];
  private timer: { cancel(): void } | null = null;

  constructor(
    limits: RateLimits,
    private readonly send: (item: T) => void,
    private readonly drained: () => void,
    private readonly clock: () => number = Date.now,
    private readonly startTimer: PacerTimer = realPacerTimer,
  ) {
    const now = clock();
    this.messages =
      limits.messagesPerSecond > 0 ? new TokenBucket(limits.messagesPerSecond * SAFETY, Math.max(1, Math.floor(limits.messageBurst * SAFETY)), now) : null;
    this.bytes = limits.bytesPerSecond > 0 ? new TokenBucket(limits.bytesPerSecond * SAFETY, Math.max(1, Math.floor(limits.byteBurst * SAFETY)), now) : null;
  }

  /** Lines waiting to be sent. */
  get pending(): number {
    return this.queue.length;
  }

  push(item: T, size: number): void {
    this.queue.push({ item, size });
    this.pump();
  }

  /**
   * Stops waiting: held lines stay pending (a closing client counts them as unsent) and go only
   * if something is pushed again.
   */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private pump(): void {
    if (this.timer !== null) return;
    while (this.queue.length > 0) {
      const { item, size } = this.queue[0]!;
      const now = this.clock();
      const wait = Math.max(this.messages?.waitFor(1, now) ?? 0, this.bytes?.waitFor(size, now) ?? 0);
      if (wait > 0) {
        this.timer = this.startTimer(this.onTimer, wait);
        return;
      }
      this.messages?.spend(1);
      this.bytes?.spend(size);
      this.queue.shift();
      this.send(item);
    }
    this.drained();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.pump();
  };
}
