import type { MemberInfo } from '../../shared/events.js';
import type { Clock } from './clock.js';
import { OutgoingMessage } from './outgoing-message.js';
import { PresenceBatch } from './presence-batch.js';

/**
 * When joins and leaves are announced. A change in a quiet room goes out at once and opens a
 * window of `delayMs`; changes within the window are announced together when it ends (which opens
 * the next one), so a connect storm costs one notice per window instead of one per join. The room
 * calls `flush` before anything else it broadcasts, so a member is announced before it is heard.
 * `M` is the room's member type: a lone joiner is not told of its own arrival.
 */
export class PresenceAnnouncer<M> {
  private readonly batch = new PresenceBatch<M | null>();
  private readonly delayMs: number;
  private readonly clock: Clock;
  private readonly send: (message: OutgoingMessage, except: M | undefined) => void;
  private timer: NodeJS.Timeout | null = null;

  constructor(delayMs: number, clock: Clock, send: (message: OutgoingMessage, except: M | undefined) => void) {
    this.delayMs = delayMs;
    this.clock = clock;
    this.send = send;
  }

  /** `member` is null for a member of another instance; `info` is read when announced. */
  joined(member: M | null, info: () => MemberInfo): void {
    this.batch.join(member, info);
    this.changed();
  }

  left(info: MemberInfo, reason: string | undefined): void {
    this.batch.leave(info, reason);
    this.changed();
  }

  /** Announces what is pending now. */
  flush(): void {
    if (this.batch.empty) return;
    const { notices, soleJoiner } = this.batch.take();
    const time = this.clock();
    for (const { kind, text, member, members, count } of notices) {
      const message = new OutgoingMessage({ kind: 'notice', notice: kind, time, text, member, members, count });
      this.send(message, kind === 'join' ? (soleJoiner ?? undefined) : undefined);
    }
  }

  /** Shutdown: nothing pending is announced. */
  stop(): void {
    this.batch.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    if (this.timer !== null) return;
    this.flush();
    if (this.delayMs <= 0) return;
    this.timer = setTimeout(this.windowEnded, this.delayMs);
    this.timer.unref();
  }

  private readonly windowEnded = (): void => {
    this.timer = null;
    if (!this.batch.empty) this.changed();
  };
}
