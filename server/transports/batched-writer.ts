import type net from 'node:net';

/** Writers with output queued in this event-loop turn, flushed together by one setImmediate. */
const dirty: BatchedWriter[] = [];
let flushScheduled = false;
/** Run before any queued output is written; see onBeforeFlush. */
const beforeFlush = new Set<() => void>();

/**
 * Registers a hook that runs before any writer hands its queued output to a socket: the history
 * store commits its batch here, so a message is never on a wire before it is stored, whichever
 * setImmediate of the turn runs first (ours may have been scheduled before the store's).
 * Returns the function that removes it.
 */
export function onBeforeFlush(hook: () => void): () => void {
  beforeFlush.add(hook);
  return function removeBeforeFlush() {
    beforeFlush.delete(hook);
  };
}

function writeNextPaced(writer: BatchedWriter, gapMs: number): void {
  writer.writeOnePaced(gapMs);
}

function runBeforeFlushHooks(): void {
  for (const hook of beforeFlush) hook();
}

function flushDirtyWriters(): void {
  flushScheduled = false;
  runBeforeFlushHooks();
  const writers = dirty.splice(0);
  for (const writer of writers) writer.writeQueued();
}

/**
 * Collects a connection's output during one event-loop turn and writes it with one
 * `socket.write` at the end of the turn. A burst of N messages then costs each member one
 * syscall instead of N, which is what makes fan-out cheap; a lone message waits at most until
 * the current turn ends. Per delivery it costs an array push: no closure, no copy.
 */
export class BatchedWriter {
  private chunks: Uint8Array[] = [];
  private queued = 0;
  /** Chunks still to be written one per tick by writePaced(); other output waits behind them. */
  private paced: Uint8Array[] = [];
  private pacedBytes = 0;

  /** `canWrite` is asked at flush time: the connection may have started closing meanwhile. */
  constructor(
    private readonly socket: net.Socket,
    private readonly canWrite: () => boolean = () => !socket.destroyed && !socket.writableEnded,
  ) {}

  /** Bytes accepted but not yet handed to the kernel: ours plus the socket's own buffer. */
  get pendingBytes(): number {
    return this.queued + this.pacedBytes + this.socket.writableLength;
  }

  /**
   * Writes `chunks` one at a time, `gapMs` apart, holding any other output until they are out.
   * For the framed history replay: the seed's client reads with one `recv(1000)` per message and
   * shows only the first frame of a read, so a burst of frames would be lost on it.
   */
  writePaced(chunks: Uint8Array[], gapMs: number): void {
    if (chunks.length === 0) return;
    const start = this.paced.length === 0;
    // What was queued before the replay (the welcome) goes first, on its own.
    if (start && this.queued > 0) {
      runBeforeFlushHooks();
      this.writeQueued();
    }
    for (const chunk of chunks) {
      this.paced.push(chunk);
      this.pacedBytes += chunk.length;
    }
    if (start) setTimeout(writeNextPaced, gapMs, this, gapMs);
  }

  /** One paced chunk; the timer's callback. */
  writeOnePaced(gapMs: number): void {
    const chunk = this.paced.shift();
    if (chunk === undefined) return;
    this.pacedBytes -= chunk.length;
    if (!this.canWrite()) {
      this.paced = [];
      this.pacedBytes = 0;
      return;
    }
    this.socket.write(chunk);
    if (this.paced.length > 0) setTimeout(writeNextPaced, gapMs, this, gapMs);
    else if (this.queued > 0) this.writeQueued();
  }

  write(chunk: Uint8Array): void {
    if (this.queued === 0) {
      dirty.push(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushDirtyWriters);
      }
    }
    this.chunks.push(chunk);
    this.queued += chunk.length;
  }

  /** Writes what is queued now, before closing (the end-of-turn flush does the same for all). */
  flush(): void {
    // Closing: a history replay still going out is dropped so the last notice gets through.
    this.paced = [];
    this.pacedBytes = 0;
    if (this.queued === 0) return;
    runBeforeFlushHooks();
    this.writeQueued();
  }

  /** The write itself; the before-flush hooks have run. */
  writeQueued(): void {
    // While a paced replay is going out, live output waits (and keeps its order) behind it.
    if (this.queued === 0 || this.paced.length > 0) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.queued = 0;
    if (!this.canWrite()) return;
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!);
      return;
    }
    // cork/uncork hands the chunks to the kernel in one writev, without copying them: the
    // same message buffers are shared by every member's queue.
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();

  }
}
