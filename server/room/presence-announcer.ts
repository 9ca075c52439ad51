import type { MemberInfo } from '../../shared/events.js';
import type { Clock } from './clock.js';
import { OutgoingMessage } from './outgoing-message.js';
import { PresenceBatch } from './presence-batch.js';

/** Members per extra millisecond of the presence window: 10 000 members → a 1 s window. */
const MEMBERS_PER_MS = 10;

/**
 * When joins and leaves are announced. A change in a quiet room goes out at once and opens a
 * window of `delayMs`, or 1 ms per 10 members if that is longer; changes within the window are
 * announced together when it ends (which opens the next one). So a connect storm costs one notice
 * per window instead of one per join, and a big room at most about 10 notices × 1000 members of
 * output per second, however fast members come and go. The room
 * calls `flush` before anything else it broadcasts, so a member is announced before it is heard.
 * `M` is the room's member type: a lone joiner is not told of its own arrival.
 */
export class PresenceAnnouncer<M> {
  private readonly batch = new PresenceBatch<M | null>();
  private readonly delayMs: number;
  private readonly clock: Clock;
  private readonly send: (message: OutgoingMessage, except: M | undefined) => void;
  private readonly roomSize: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(delayMs: number, clock: Clock, send: (message: OutgoingMessage, except: M | undefined) => void, roomSize: () => number) {
    this.delayMs = delayMs;
    this.clock = clock;
    this.send = send;
    this.roomSize = roomSize;
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
    this.timer = setTimeout(this.windowEnded, Math.max(this.delayMs, this.roomSize() / MEMBERS_PER_MS));
    this.timer.unref();
  }

  private readonly windowEnded = (): void => {
    this.timer = null;
    if (!this.batch.empty) this.changed();
  };
}
