import { type BenchClient, IGNORE, SinkSwitch } from '../clients/bench-client.js';
import { nowUs } from '../clock.js';
import { formatMarker } from '../marker.js';
import { connectClient } from './connect-client.js';
import { PROGRESS_ALL_SENT, PROGRESS_STRIDE, type SharedRun, type WorkerReply, type WorkerRequest, type WorkerRunPlan } from './protocol.js';
import { WorkerTracker } from './worker-tracker.js';

/** How often idle (lazy) clients read, and for how long. */
const LAZY_READ_MS = 1000;
const LAZY_BURST_MS = 50;

interface ActiveRun {
  tracker: WorkerTracker;
  timer: NodeJS.Timeout | null;
  stop: Int32Array;
}

/**
 * A load-generator thread: holds its share of a room's clients (client i lives on thread
 * i % threads), sends for the senders among them, and accounts for what they receive. The
 * pool drives it with the requests of protocol.ts, through a worker's message port or, when
 * the generator runs in the main thread, by direct calls.
 */
export class GeneratorThread {
  private readonly sink = new SinkSwitch();
  private clients = new Map<number, BenchClient>();
  private active: ActiveRun | null = null;
  private lazyTimer: NodeJS.Timeout | null = null;

  constructor(private readonly thread: number) {}

  async handle(request: WorkerRequest): Promise<WorkerReply> {
    try {
      switch (request.type) {
        case 'connect':
          return await this.connectAll(request);
        case 'run':
          this.startRun(request.plan, request.shared);
          return { id: request.id, type: 'started' };
        case 'finish':
          return this.finishRun(request.id);
        case 'status':
          return this.status(request.id);
        case 'disconnect':
          return await this.disconnectAll(request.id);
      }
    } catch (error) {
      return { id: request.id, type: 'failed', error: String((error as Error).stack ?? error) };
    }
  }

  /**
   * Connects with at most `concurrency` handshakes under way, each client then joining its room
   * when it has one (a client that could not is counted as failed). A client counts as connected once
   * the server has answered (Switchboard's welcome, NATS's PONG, the WebSocket upgrade), not
   * when the kernel finished the TCP handshake: otherwise connections pile up in the server's
   * accept queue faster than it takes them (Node accepts one per event-loop turn), overflow
   * it, and get reset.
   */
  private async connectAll(request: Extract<WorkerRequest, { type: 'connect' }>): Promise<WorkerReply> {
    let next = 0;
    let failed = 0;
    let firstError: string | null = null;
    const connectNext = async (): Promise<void> => {
      while (next < request.clients.length) {
        const { index, kind, room } = request.clients[next++]!;
        try {
          const client = await connectClient(request.endpoint, kind, index, this.sink);
          this.clients.set(index, client);
          if (room !== null) {
            if (client.enterRoom === undefined) throw new Error(`${kind} clients cannot join rooms`);
            await client.enterRoom(room);
          }
          if (request.lazy) client.setReading(false);
        } catch (error) {
          failed += 1;
          firstError ??= (error as Error).message;
        }
      }
    };
    if (request.lazy && this.lazyTimer === null) this.lazyTimer = setInterval(() => this.readBurst(), LAZY_READ_MS);
    await Promise.all(Array.from({ length: Math.min(request.concurrency, request.clients.length) }, connectNext));
    return { id: request.id, type: 'connected', connected: this.clients.size, failed, firstError };
  }

  /** Starts sending at plan.startUs; deliveries are accounted from now on. */
  private startRun(plan: WorkerRunPlan, shared: SharedRun): void {
    const clients = this.clients;
    const progress = new Float64Array(shared.progress);
    const stop = new Int32Array(shared.stop);
    const senders = plan.senderClient.length;
    const localSenders = plan.senderClient.flatMap((client, slot) => (clients.has(client) ? [slot] : []));
    const sent = new Int32Array(senders);
    const markAllSent = () => (progress[this.thread * PROGRESS_STRIDE + PROGRESS_ALL_SENT] = 1);
    if (localSenders.length === 0) markAllSent();

    const send = (slot: number): void => {
      clients.get(plan.senderClient[slot]!)!.send(formatMarker(plan.run, slot, sent[slot]!, nowUs()));
      sent[slot]! += 1;
    };
    const pace = plan.pace;
    const pump = (slot: number): void => {
      if (pace.kind !== 'saturate' || !clients.has(plan.senderClient[slot]!) || Atomics.load(stop, 0) !== 0) return;
      while (sent[slot]! < plan.perSender && sent[slot]! - Atomics.load(tracker.completed, slot) < pace.window) send(slot);
    };
    const tracker = new WorkerTracker(plan, shared, this.thread, [...clients.keys()], pump);
    const run: ActiveRun = { tracker, timer: null, stop };
    this.active = run;
    this.sink.current = tracker;

    const saturate = (): void => {
      // Deliveries on other threads move the frontier too: look at it every millisecond as well.
      for (const slot of localSenders) pump(slot);
      if (localSenders.every((slot) => sent[slot]! >= plan.perSender)) markAllSent();
      else if (Atomics.load(stop, 0) === 0) run.timer = setTimeout(saturate, 1);
    };
    const total = senders * plan.perSender;
    const intervalUs = pace.kind === 'rate' ? 1e6 / pace.perSecond : 0;
    let next = 0;
    const tick = (): void => {
      if (Atomics.load(stop, 0) !== 0) return;
      const now = nowUs();
      const due = Math.min(total, Math.floor((now - plan.startUs) / intervalUs) + 1);
      if (due > next) tracker.maxSendLagMs = Math.max(tracker.maxSendLagMs, (now - (plan.startUs + (due - 1) * intervalUs)) / 1000);
      // Message n is sender (n % senders)'s number (n / senders): each sender keeps its order.
      for (; next < due; next += 1) {
        const slot = next % senders;
        if (clients.has(plan.senderClient[slot]!)) send(slot);
      }
      if (next < total) run.timer = setTimeout(tick, 1);
      else markAllSent();
    };
    run.timer = setTimeout(pace.kind === 'saturate' ? saturate : tick, Math.max(0, (plan.startUs - nowUs()) / 1000));
  }

  private finishRun(id: number): WorkerReply {
    const active = this.active;
    if (active === null) return { id, type: 'failed', error: 'no run to finish' };
    Atomics.store(active.stop, 0, 1);
    if (active.timer !== null) clearTimeout(active.timer);
    this.sink.current = IGNORE;
    this.active = null;
    return { id, type: 'finished', report: active.tracker.report() };
  }

  /** Idle rooms: everyone reads what has arrived, for a moment, then stops again. */
  private readBurst(): void {
    for (const client of this.clients.values()) client.setReading(true);
    setTimeout(() => {
      if (this.lazyTimer === null) return;
      for (const client of this.clients.values()) client.setReading(false);
    }, LAZY_BURST_MS);
  }

  private async disconnectAll(id: number): Promise<WorkerReply> {
    if (this.lazyTimer !== null) clearInterval(this.lazyTimer);
    this.lazyTimer = null;
    for (const client of this.clients.values()) client.setReading(true);
    const all = [...this.clients.values()];
    this.clients = new Map();
    for (let i = 0; i < all.length; i += 500) await Promise.all(all.slice(i, i + 500).map((client) => client.close()));
    return { id, type: 'disconnected' };
  }

  private status(id: number): WorkerReply {
    let bytesIn = 0;
    let dropped = 0;
    for (const client of this.clients.values()) {
      bytesIn += client.bytesIn;
      if (client.dropped) dropped += 1;
    }
    return { id, type: 'status', status: { clients: this.clients.size, bytesIn, dropped } };
  }
}
