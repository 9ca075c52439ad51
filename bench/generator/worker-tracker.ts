import type { ClientKind, ReceiveSink } from '../clients/bench-client.js';
import { nowUs } from '../clock.js';
import { Histogram } from '../histogram.js';
import { emptyMarker, parseMarkerBytes } from '../marker.js';
import { PROGRESS_LAST_DELIVERY_US, PROGRESS_RECEIVED, PROGRESS_STRIDE, type SharedRun, type WorkerRunPlan, type WorkerRunReport } from './protocol.js';

const MAX_ERROR_SAMPLES = 5;

/**
 * One generator thread's accounting for one run: latency of every delivery to its own clients
 * (receive time minus the send time in the text), per-receiver order, gaps and duplicates, and
 * texts that reached a member of another room than their sender's (counted, never delivered).
 * Completion is shared: when this thread has delivered a message to all its receivers it adds
 * one to the message's shared count, and whichever thread brings a count to the number of
 * threads involved moves that sender's `completed` frontier (a compare-and-swap loop, so two
 * threads finishing neighbouring messages at once cannot lose an advance). Cross-thread
 * atomics happen once per message per thread, not per delivery.
 */
export class WorkerTracker implements ReceiveSink {
  private readonly latency = new Histogram();
  private readonly latencyByKind = new Map<ClientKind, Histogram>();
  private readonly kindHistograms: Histogram[];
  private received = 0;
  private selfEchoes = 0;
  private duplicates = 0;
  private outOfOrder = 0;
  private stale = 0;
  private crossRoom = 0;
  private serverErrors = 0;
  private readonly errorSamples: string[] = [];
  maxSendLagMs = 0;
  private readonly senders: number;
  /** Per message: deliveries to this thread's clients. */
  private readonly localCounts: Uint16Array;
  /** Per sender: how many of this thread's clients receive its messages (the rest of its room). */
  private readonly localNeeded: Int32Array;
  private readonly nextSeq: Int32Array;
  private readonly threadsDone: Int32Array;
  readonly completed: Int32Array;
  private readonly progress: Float64Array;
  private readonly progressAt: number;
  private readonly marker = emptyMarker();

  constructor(
    private readonly plan: WorkerRunPlan,
    shared: SharedRun,
    thread: number,
    localClients: readonly number[],
    /** Called after this thread moved a sender's frontier. */
    private readonly onAdvance: (sender: number) => void,
  ) {
    this.senders = plan.senderClient.length;
    this.localCounts = new Uint16Array(this.senders * plan.perSender);
    this.localNeeded = new Int32Array(this.senders);
    for (let sender = 0; sender < this.senders; sender += 1) {
      const from = plan.senderClient[sender]!;
      this.localNeeded[sender] = localClients.filter((client) => client !== from && plan.roomOf[client] === plan.roomOf[from]).length;
    }
    this.nextSeq = new Int32Array(plan.kinds.length * this.senders);
    this.threadsDone = new Int32Array(shared.threadsDone);
    this.completed = new Int32Array(shared.completed);
    this.progress = new Float64Array(shared.progress);
    this.progressAt = thread * PROGRESS_STRIDE;
    this.kindHistograms = plan.kinds.map((kind) => {
      let histogram = this.latencyByKind.get(kind);
      if (histogram === undefined) {
        histogram = new Histogram();
        this.latencyByKind.set(kind, histogram);
      }
      return histogram;
    });
  }

  onMarker(receiver: number, text: string): void {
    const bytes = Buffer.from(text, 'latin1');
    this.onMarkerBytes(receiver, bytes, 0, bytes.length);
  }

  onMarkerBytes(receiver: number, buf: Uint8Array, start: number, end: number): void {
    const marker = this.marker;
    const plan = this.plan;
    if (!parseMarkerBytes(buf, start, end, marker) || marker.run !== plan.run || marker.sender >= this.senders || marker.seq >= plan.perSender) {
      this.stale += 1;
      return;
    }
    const { sender, seq } = marker;
    const from = plan.senderClient[sender]!;
    if (from === receiver) {
      this.selfEchoes += 1;
      return;
    }
    if (plan.roomOf[receiver] !== plan.roomOf[from]) {
      this.crossRoom += 1;
      if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(`cross-room delivery: client ${receiver} (room ${plan.roomOf[receiver]}) got message ${seq} of client ${from} (room ${plan.roomOf[from]})`);
      return;
    }
    const orderAt = receiver * this.senders + sender;
    const expectedSeq = this.nextSeq[orderAt]!;
    if (seq < expectedSeq) {
      this.duplicates += 1;
      return;
    }
    if (seq > expectedSeq) this.outOfOrder += 1;
    this.nextSeq[orderAt] = seq + 1;
    const receivedUs = nowUs();
    const latencyUs = receivedUs - marker.sentUs;
    this.latency.record(latencyUs);
    this.kindHistograms[receiver]!.record(latencyUs);
    this.received += 1;
    this.progress[this.progressAt + PROGRESS_RECEIVED] = this.received;
    this.progress[this.progressAt + PROGRESS_LAST_DELIVERY_US] = receivedUs;
    const slot = sender * plan.perSender + seq;
    const count = (this.localCounts[slot] = this.localCounts[slot]! + 1);
    if (count === this.localNeeded[sender] && Atomics.add(this.threadsDone, slot, 1) + 1 === plan.threadsNeeded[sender]) {
      this.advance(sender);
    }
  }

  onServerError(_receiver: number, text: string): void {
    this.serverErrors += 1;
    if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(text.slice(0, 200));
  }

  /** Moves the sender's frontier past every message all threads are done with. */
  private advance(sender: number): void {
    const base = sender * this.plan.perSender;
    const needed = this.plan.threadsNeeded[sender]!;
    let moved = false;
    for (;;) {
      const frontier = Atomics.load(this.completed, sender);
      if (frontier >= this.plan.perSender || Atomics.load(this.threadsDone, base + frontier) !== needed) break;
      if (Atomics.compareExchange(this.completed, sender, frontier, frontier + 1) === frontier) moved = true;
    }
    if (moved) this.onAdvance(sender);
  }

  report(): WorkerRunReport {
    const latencyByKind: WorkerRunReport['latencyByKind'] = {};
    for (const [kind, histogram] of this.latencyByKind) latencyByKind[kind] = histogram.state();
    return {
      latency: this.latency.state(),
      latencyByKind,
      selfEchoes: this.selfEchoes,
      duplicates: this.duplicates,
      outOfOrder: this.outOfOrder,
      stale: this.stale,
      crossRoom: this.crossRoom,
      serverErrors: this.serverErrors,
      errorSamples: this.errorSamples,
      maxSendLagMs: this.maxSendLagMs,
    };
  }
}
