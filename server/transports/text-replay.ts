import type { Transport } from '../../shared/events.js';
import type { ReplayStream } from '../output/output-queue.js';
import { OutgoingMessage, type WireForm } from '../message/outgoing-message.js';
import type { ReplayCursor } from '../channel/channel-history.js';
import type { TrafficStats } from '../stats.js';

/** Gap between replayed frames on the framed port: the seed's client reads one frame per `recv`. */
export const PACED_REPLAY_GAP_MS = 10;

/**
 * Largest frame a paced replay sends as it is: the seed's client reads with `recv(1000)` and takes
 * that as one whole frame, so a longer one makes it fail. A longer stored message is replayed as a
 * short notice that says who said how much, when (one frame for one message, so the count the
 * welcome announced holds).
 */
export const SEED_RECV_BYTES = 1000;

/** Bytes of replayed lines written at a time on the line port. */
const LINE_REPLAY_CHUNK_BYTES = 64 * 1024;

/**
 * A join replay on a text wire: the stored messages in the transport's own form, with their
 * original times. Paced (framed port) it yields one frame at a time, PACED_REPLAY_GAP_MS apart,
 * so the seed's client shows every one; unpaced (line port) it yields up to 64 KiB of lines.
 */
export class TextReplay implements ReplayStream {
  readonly gapMs: number;

  constructor(
    private readonly cursor: ReplayCursor,
    private readonly form: WireForm,
    paced: boolean,
    private readonly stats: TrafficStats,
    private readonly transport: Transport,
  ) {
    this.gapMs = paced ? PACED_REPLAY_GAP_MS : 0;
  }

  next(): Uint8Array | null {
    if (this.gapMs > 0) {
      const message = this.cursor.take();
      if (message === null) return null;
      const frame = message.wire(this.form);
      return this.count(frame.length <= SEED_RECV_BYTES ? frame : standIn(message, frame.length).wire(this.form));
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < LINE_REPLAY_CHUNK_BYTES) {
      const message = this.cursor.take();
      if (message === null) break;
      const bytes = message.wire(this.form);
      parts.push(bytes);
      size += bytes.length;
    }
    if (parts.length === 0) return null;
    return this.count(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size), parts.length);
  }

  private count(bytes: Uint8Array, messages = 1): Uint8Array {
    this.stats.messagesOut[this.transport] += messages;
    this.stats.bytesOut[this.transport] += bytes.length;
    return bytes;
  }
}

/** What a paced replay sends instead of a message too long for one `recv(1000)`. */
function standIn(message: OutgoingMessage, frameBytes: number): OutgoingMessage {
  const sender = message.from?.name ?? 'someone';
  return new OutgoingMessage({
    kind: 'notice',
    notice: 'info',
    room: message.room,
    time: message.time,
    text: `${sender} said ${frameBytes} bytes here, too long to replay on this port (message ${message.id}: see the page or GET /history)`,
  });
}
