import type net from 'node:net';
import { WireChunk } from '../message/outgoing-message.js';
import { runBeforeFlushHooks } from './flush-barrier.js';
import type { DropReason, OutputPolicy, PolicedQueue } from './output-policy.js';

/**
 * Most bytes handed to a socket that the kernel has not taken yet. The rest waits in our queue,
 * where the policy can see and bound it, and goes out on `drain`. Small enough that a write
 * completes (and shows progress) within seconds even for a slow reader; large enough that a
 * reader that keeps up never waits on a drain round trip.
 */
const HANDOVER_BYTES = 64 * 1024;

/** The connection that owns a queue, told when the policy drops it. */
export interface OutputOwner {
  outputDropped(reason: DropReason, why: string): void;
}

/**
 * Stored messages for a member that just joined, produced as the socket takes them: a replay
 * costs in proportion to what the member reads, not to what it asked for.
 */
export interface ReplayStream {
  /** The next bytes of the replay, or null when it is over. */
  next(): Uint8Array | null;
  /**
   * Milliseconds between chunks, each written only once the kernel took the previous one (the
   * seed's client reads one frame per `recv`); 0 = as fast as the socket drains.
   */
  readonly gapMs: number;
}

/** Queues with output written in this event-loop turn, handed to their sockets by one setImmediate. */
const dirty: OutputQueue[] = [];
let flushScheduled = false;

function flushDirtyQueues(): void {
  flushScheduled = false;
  runBeforeFlushHooks();
  const queues = dirty.splice(0);
  for (const queue of queues) queue.handover();
}

function replayStepDue(queue: OutputQueue): void {
  queue.replayStep();
}

/**
 * One connection's output. Collects what is written during an event-loop turn and hands it to
 * the socket with one (corked) write at the end of the turn: a burst of N messages costs a member
 * one syscall, not N. At most HANDOVER_BYTES wait inside the socket; the rest waits here, counted
 * by the OutputPolicy, which decides when a member is too slow. A history replay streams ahead of
 * live output, which queues behind it. Per delivery: an array push and two counters.
 */
export class OutputQueue implements PolicedQueue {
  private chunks: WireChunk[] = [];
  private head = 0;
  private queued = 0;
  private scheduled = false;
  /** Bytes ever given to socket.write; minus what the socket still holds = what the kernel took. */
  private handed = 0;
  private replay: ReplayStream | null = null;
  /** A replay chunk taken from the stream that had to wait for the replay rate. */
  private replayCarry: Uint8Array | null = null;
  private replayTimer: NodeJS.Timeout | null = null;
  /** Dropped by the policy or finished: writes are ignored, the policy no longer counts it. */
  private done = false;

  /** `canWrite` is asked at flush time: the connection may have started closing meanwhile. */
  constructor(
    private readonly socket: net.Socket,
    private readonly policy: OutputPolicy,
    private readonly owner: OutputOwner,
    private readonly canWrite: () => boolean = () => !socket.destroyed && !socket.writableEnded,
  ) {
    socket.on('drain', this.onDrain);
    policy.register(this);
  }

  get pendingBytes(): number {
    return this.queued + this.socket.writableLength;
  }

  get socketBytes(): number {
    return this.socket.writableLength;
  }

  get acceptedBytes(): number {
    return this.handed - this.socket.writableLength;
  }

  /** Queues a chunk (shared with other queues, or this member's own) for the end of the turn. */
  write(chunk: WireChunk): void {
    if (this.done) return;
    this.chunks.push(chunk);
    this.queued += chunk.bytes.length;
    this.policy.hold(chunk);
    if (!this.scheduled) {
      this.scheduled = true;
      dirty.push(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushDirtyQueues);
      }
    }
    this.policy.checkCap(this);
  }

  /** Bytes for this member only (a reply, its own welcome). */
  writeOwn(bytes: Uint8Array): void {
    this.write(new WireChunk(bytes));
  }

  /**
   * Streams a replay. What was queued before it (the welcome) goes first, at once; what is
   * written after it waits until the replay is over, so a member sees the stored messages, then
   * live ones, in order and without gaps.
   */
  startReplay(stream: ReplayStream): void {
    if (this.done) return;
    if (this.queued > 0) {
      runBeforeFlushHooks();
      this.handover();
    }
    this.replay = stream;
    // A paced replay waits its gap after the welcome too: they must not share one `recv`.
    if (stream.gapMs > 0) this.replayTimer = setTimeout(replayStepDue, stream.gapMs, this);
    else this.replayStep();
  }

  /** Hands queued output to the socket as far as it has room; the end-of-turn flush. */
  handover(): void {
    this.scheduled = false;
    if (this.done) return;
    if (!this.canWrite()) {
      this.discard();
      return;
    }
    if (this.replay !== null) return;
    this.writeQueued(HANDOVER_BYTES);
  }

  kick(): void {
    if (this.queued > 0 && this.replay === null && this.socket.writableLength < HANDOVER_BYTES) this.handover();
  }

  /** The policy's verdict; the owner closes the connection (through `finish`). */
  drop(reason: DropReason, why: string): void {
    this.owner.outputDropped(reason, why);
  }

  /**
   * The connection is closing: a replay still going out stops, what is queued goes to the socket
   * (or, for a member dropped as too slow, is discarded: it would only delay the farewell), then
   * the farewell. Nothing is written after this.
   */
  finish(farewell: Uint8Array | null, discardQueued: boolean): void {
    if (this.done) return;
    this.stopReplay();
    if (discardQueued) this.releaseQueued();
    if (farewell !== null) {
      const chunk = new WireChunk(farewell);
      this.chunks.push(chunk);
      this.queued += chunk.bytes.length;
      this.policy.hold(chunk);
    }
    if (this.canWrite()) {
      runBeforeFlushHooks();
      this.writeQueued(Number.POSITIVE_INFINITY);
    }
    this.discard();
  }

  /** The socket is gone: nothing more can be written; its bytes stop counting. */
  dispose(): void {
    this.discard();
  }

  /** One replay step: the next chunk once the socket took the last one, within the replay rate. */
  replayStep(): void {
    this.replayTimer = null;
    const replay = this.replay;
    if (replay === null || this.done) return;
    if (!this.canWrite()) {
      this.discard();
      return;
    }
    const bytes = this.replayCarry ?? replay.next();
    this.replayCarry = null;
    if (bytes === null) {
      this.replay = null;
      this.handover();
      return;
    }
    const wait = this.policy.replayWait(bytes.length);
    if (wait > 0) {
      this.replayCarry = bytes;
      this.replayTimer = setTimeout(replayStepDue, wait, this);
      return;
    }
    runBeforeFlushHooks();
    this.handed += bytes.length;
    this.socket.write(bytes, this.onReplayChunkWritten);
  }

  private writeQueued(limit: number): void {
    const socket = this.socket;
    const chunks = this.chunks;
    if (this.head === chunks.length || socket.writableLength >= limit) return;
    if (chunks.length - this.head === 1) {
      this.handOne(chunks[this.head]!);
      this.head += 1;
    } else {
      // cork/uncork hands the chunks to the kernel in one writev, without copying them: the
      // same message buffers are shared by every member's queue.
      socket.cork();
      while (this.head < chunks.length && socket.writableLength < limit) {
        this.handOne(chunks[this.head]!);
        this.head += 1;
      }
      socket.uncork();
    }
    if (this.head === chunks.length) {
      this.chunks = [];
      this.head = 0;
    }
  }

  private handOne(chunk: WireChunk): void {
    const length = chunk.bytes.length;
    this.queued -= length;
    this.handed += length;
    this.policy.release(chunk);
    this.socket.write(chunk.bytes);
  }

  private releaseQueued(): void {
    for (let i = this.head; i < this.chunks.length; i += 1) this.policy.release(this.chunks[i]!);
    this.chunks = [];
    this.head = 0;
    this.queued = 0;
  }

  private stopReplay(): void {
    if (this.replayTimer !== null) clearTimeout(this.replayTimer);
    this.replayTimer = null;
    this.replay = null;
    this.replayCarry = null;
  }

  private discard(): void {
    if (this.done) return;
    this.done = true;
    this.stopReplay();
    this.releaseQueued();
    this.policy.unregister(this);
  }

  private readonly onDrain = (): void => {
    if (this.queued === 0 || this.replay !== null) return;
    runBeforeFlushHooks();
    this.handover();
  };

  private readonly onReplayChunkWritten = (error?: Error | null): void => {
    if (error !== undefined && error !== null) return;
    const replay = this.replay;
    if (replay === null) return;
    if (replay.gapMs > 0) this.replayTimer = setTimeout(replayStepDue, replay.gapMs, this);
    else setImmediate(replayStepDue, this);
  };
}
