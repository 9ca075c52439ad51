import type { RateLimits } from './events.js';
import { TokenBucket } from './token-bucket.js';

/**
 * How much of an announced limit a client uses: the server's clock and the network's jitter
 * are not the client's, so pacing exactly at the limit would be held back now and then.
 */
const SAFETY = 0.9;

/**
 * Paces what a client sends to the flood limit its server announced, so the server never has
 * to hold it back: lines wait here, in order, and each goes when both the message and the byte
 * budget allow. Without limits (an older server, or limits off) everything goes at once.
 */
export class SendPacer<T> {
  private readonly messages: TokenBucket | null;
  private readonly bytes: TokenBucket | null;
  private readonly queue: { item: T; size: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    limits: RateLimits,
    private readonly send: (item: T) => void,
    private readonly drained: () => void,
    private readonly clock: () => number = Date.now,
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

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.timer !== null) return;
    while (this.queue.length > 0) {
      const { item, size } = this.queue[0]!;
      const now = this.clock();
      const wait = Math.max(this.messages?.waitFor(1, now) ?? 0, this.bytes?.waitFor(size, now) ?? 0);
      if (wait > 0) {
        this.timer = setTimeout(this.onTimer, wait);
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
