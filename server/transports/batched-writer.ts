import type net from 'node:net';

/** Writers with output queued in this event-loop turn, flushed together by one setImmediate. */
const dirty: BatchedWriter[] = [];
let flushScheduled = false;

function flushDirtyWriters(): void {
  flushScheduled = false;
  const writers = dirty.splice(0);
  for (const writer of writers) writer.flush();
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

  /** `canWrite` is asked at flush time: the connection may have started closing meanwhile. */
  constructor(
    private readonly socket: net.Socket,
    private readonly canWrite: () => boolean = () => !socket.destroyed && !socket.writableEnded,
  ) {}

  /** Bytes accepted but not yet handed to the kernel: ours plus the socket's own buffer. */
  get pendingBytes(): number {
    return this.queued + this.socket.writableLength;
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

  /** Writes what is queued now; called at the end of the turn, and before closing. */
  flush(): void {
    if (this.queued === 0) return;
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
