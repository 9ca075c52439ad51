import { TokenBucket } from '../../shared/token-bucket.js';
import type { WireChunk } from '../message/outgoing-message.js';

/** Why the policy dropped a member: metric label and log field. */
export type DropReason = 'deadline' | 'cap' | 'budget';
export const DROP_REASONS: readonly DropReason[] = ['deadline', 'cap', 'budget'];

/** The output side of the slow-consumer policy; each is a `serve` flag (see docs/security.md). */
export interface OutputLimits {
  /** One member's queued output (ours + its socket's) past which it is dropped at once. */
  maxPendingBytes: number;
  /** Milliseconds a member's socket may hold output without the kernel taking any; 0 = off. */
  writeDeadlineMs: number;
  /** All queued output of the server, each shared chunk counted once; 0 = off. */
  maxOutputBytes: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  maxPendingBytes: 16 * 1024 * 1024,
  writeDeadlineMs: 10_000,
  maxOutputBytes: 256 * 1024 * 1024,
};

/**
 * Replays (join and resume) read stored messages and encode them as their reader takes them;
 * this bounds the work all replays together may cost per second, so twenty fast resumes cannot
 * crowd live chat off the event loop. A few max-size messages of burst keep small replays instant.
 */
const REPLAY_BYTES_PER_SECOND = 32 * 1024 * 1024;
const REPLAY_BURST_BYTES = 4 * 1024 * 1024;

/** How often stalls are looked for: a stalled member goes within the deadline plus this. */
const SWEEP_MS = 250;

/** What the policy needs of each connection's queue; implemented by OutputQueue. */
export interface PolicedQueue {
  /** Bytes queued by us plus bytes inside the socket not yet taken by the kernel. */
  readonly pendingBytes: number;
  /** Bytes inside the socket not yet taken by the kernel. */
  readonly socketBytes: number;
  /** Bytes the kernel has taken so far: it grows while the peer reads. */
  readonly acceptedBytes: number;
  /** Hands queued output to the socket if it has room (a safety net for a missed `drain`). */
  kick(): void;
  /** The policy's verdict: the queue reports it to its connection, which closes. Once only. */
  drop(reason: DropReason, why: string): void;
}

interface Progress {
  accepted: number;
  since: number;
  /** The socket held output and the kernel took none of it since the sweep before. */
  stalled: boolean;
}

/**
 * Every byte the server writes passes through an OutputQueue, and every queue answers to this
 * one policy, the same for every transport. A member is dropped when its socket has taken nothing
 * for the write deadline (stalled, not merely busy), when its queue passes the hard cap, or, when
 * the whole server's queued output passes the budget, largest queue first. A burst that a reader
 * works through is never a reason: only a reader that stops is.
 */
export class OutputPolicy {
  readonly limits: OutputLimits;
  /** Drops so far, by reason; /metrics reads them. */
  readonly drops: Record<DropReason, number> = { deadline: 0, cap: 0, budget: 0 };
  private readonly queues = new Map<PolicedQueue, Progress>();
  private readonly clock: () => number;
  private readonly replayBucket: TokenBucket;
  /** Bytes in our queues, each chunk once however many queues hold it. */
  private held = 0;
  /** Bytes inside sockets at the last sweep (they change without telling us). */
  private inSockets = 0;
  private stalledAtSweep = 0;
  private budgetCheckScheduled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(limits: Partial<OutputLimits> = {}, clock: () => number = Date.now) {
    this.limits = { ...DEFAULT_OUTPUT_LIMITS, ...limits };
    this.clock = clock;
    this.replayBucket = new TokenBucket(REPLAY_BYTES_PER_SECOND, REPLAY_BURST_BYTES, clock());
    this.timer = setInterval(this.onSweepTimer, Math.min(SWEEP_MS, Math.max(20, this.limits.writeDeadlineMs / 4 || SWEEP_MS)));
    this.timer.unref();
  }

  /** Queued output of the whole server: our queues (shared chunks once) plus socket buffers. */
  get queuedBytes(): number {
    let inSockets = 0;
    for (const queue of this.queues.keys()) inSockets += queue.socketBytes;
    return this.held + inSockets;
  }

  /** Connections whose socket held output and took none of it between the last two sweeps. */
  get stalledCount(): number {
    return this.stalledAtSweep;
  }

  register(queue: PolicedQueue): void {
    this.queues.set(queue, { accepted: queue.acceptedBytes, since: this.clock(), stalled: false });
  }

  unregister(queue: PolicedQueue): void {
    this.queues.delete(queue);
  }

  /**
   * A queue took a chunk: counted if no other queue holds it yet. The budget is checked at each
   * sweep, when readers that keep up have drained what a burst gave them; at twice the budget it
   * is also checked at the end of this turn, for members already known to be stalled.
   */
  hold(chunk: WireChunk): void {
    chunk.holders += 1;
    if (chunk.holders !== 1) return;
    this.held += chunk.bytes.length;
    if (this.limits.maxOutputBytes > 0 && this.held > 2 * this.limits.maxOutputBytes && !this.budgetCheckScheduled) {
      // Not now: this runs inside a broadcast; the check drops members and must see the whole turn.
      this.budgetCheckScheduled = true;
      setImmediate(this.onBudgetCheck);
    }
  }

  /** A queue let a chunk go (to its socket, or discarded): uncounted when nobody holds it. */
  release(chunk: WireChunk): void {
    chunk.holders -= 1;
    if (chunk.holders === 0) this.held -= chunk.bytes.length;
  }

  /** Called after each write to a queue: over the hard cap, the member goes at once. */
  checkCap(queue: PolicedQueue): void {
    const pending = queue.pendingBytes;
    if (pending > this.limits.maxPendingBytes) {
      this.drop(queue, 'cap', `too slow: ${pending} bytes waiting to be sent, over the ${this.limits.maxPendingBytes}-byte cap`);
    }
  }

  /**
   * Milliseconds a replay must wait before writing `bytes` more, or 0 when it may go now (and
   * the bytes are counted). Replays are not a member's slowness and never count toward its cap.
   */
  replayWait(bytes: number): number {
    return this.replayBucket.takeOrWait(bytes, this.clock());
  }

  /** Stalls, the budget, and missed drains; run every SWEEP_MS (and by tests with their clock). */
  sweep(now: number = this.clock()): void {
    const deadline = this.limits.writeDeadlineMs;
    let inSockets = 0;
    let stalled = 0;
    for (const [queue, progress] of this.queues) {
      queue.kick();
      const inSocket = queue.socketBytes;
      inSockets += inSocket;
      const accepted = queue.acceptedBytes;
      progress.stalled = inSocket > 0 && accepted === progress.accepted;
      if (progress.stalled) stalled += 1;
      if (!progress.stalled) {
        progress.accepted = accepted;
        progress.since = now;
      } else if (deadline > 0 && now - progress.since >= deadline) {
        this.drop(queue, 'deadline', `too slow: nothing read for ${deadline / 1000} s with ${queue.pendingBytes} bytes waiting`);
      }
    }
    this.inSockets = inSockets;
    this.stalledAtSweep = stalled;
    this.checkBudget(false);
  }

  close(): void {
    clearInterval(this.timer);
  }

  /**
   * Over the budget: members go until the server is back under it, those whose socket took
   * nothing since the last sweep first, then the rest, each group largest queue first. A reader
   * that keeps up has drained its share by the sweep, so a crowd of stalled ones is what goes.
   * Between sweeps (`stalledOnly`), a reader that just got a burst cannot be told from a stalled
   * one, so only those already seen stalled go; the next sweep does the rest.
   */
  private checkBudget(stalledOnly: boolean): void {
    const budget = this.limits.maxOutputBytes;
    if (budget <= 0 || this.held + this.inSockets <= budget) return;
    const candidates = [...this.queues]
      .filter(([, progress]) => progress.stalled || !stalledOnly)
      .map(([queue, progress]) => ({ queue, pending: queue.pendingBytes, stalled: progress.stalled }));
    candidates.sort((a, b) => Number(b.stalled) - Number(a.stalled) || b.pending - a.pending);
    for (const { queue, pending } of candidates) {
      if (this.held + this.inSockets <= budget) break;
      this.inSockets -= queue.socketBytes;
      this.drop(queue, 'budget', `too slow: the server's output budget of ${budget} bytes is used up and this connection holds ${pending} of them`);
    }
  }

  private drop(queue: PolicedQueue, reason: DropReason, why: string): void {
    if (!this.queues.has(queue)) return;
    this.queues.delete(queue);
    this.drops[reason] += 1;
    queue.drop(reason, why);
  }

  private readonly onSweepTimer = (): void => {
    this.sweep();
  };

  private readonly onBudgetCheck = (): void => {
    this.budgetCheckScheduled = false;
    let inSockets = 0;
    for (const queue of this.queues.keys()) inSockets += queue.socketBytes;
    this.inSockets = inSockets;
    this.checkBudget(true);
  };
}
