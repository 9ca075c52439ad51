import type { MemberInfo } from '../../shared/events.js';
import type { Clock } from '../message/clock.js';
import { OutgoingMessage, type RoomRef } from '../message/outgoing-message.js';
import { PresenceBatch } from './presence-batch.js';

/** Members per extra millisecond of the presence window: 10 000 members → a 1 s window. */
const MEMBERS_PER_MS = 10;

/** Ends a presence window after `ms`; tests pass one they end by hand instead of waiting. */
export type WindowTimer = (windowEnded: () => void, ms: number) => { cancel(): void };

/** The real one: a timer that never keeps the process alive. */
export const realWindowTimer: WindowTimer = (windowEnded, ms) => {
  const timer = setTimeout(windowEnded, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

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
  private readonly startTimer: WindowTimer;
  private timer: { cancel(): void } | null = null;

  private readonly room: RoomRef;

  constructor(
    room: RoomRef,
    delayMs: number,
    clock: Clock,
    send: (message: OutgoingMessage, except: M | undefined) => void,
    roomSize: () => number,
    startTimer: WindowTimer = realWindowTimer,
  ) {
    this.room = room;
    this.startTimer = startTimer;
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
      const message = new OutgoingMessage({ kind: 'notice', notice: kind, room: this.room, time, text, member, members, count });
      this.send(message, kind === 'join' ? (soleJoiner ?? undefined) : undefined);
    }
  }

  /** Shutdown: nothing pending is announced. */
  stop(): void {
    this.batch.clear();
    this.timer?.cancel();
    this.timer = null;
  }

  private changed(): void {
    if (this.timer !== null) return;
    this.flush();
    if (this.delayMs <= 0) return;
    this.timer = this.startTimer(this.windowEnded, Math.max(this.delayMs, this.roomSize() / MEMBERS_PER_MS));
  }

  private readonly windowEnded = (): void => {
    this.timer = null;
    if (!this.batch.empty) this.changed();
  };
}
