import type { ClientKind } from '../clients/bench-client.js';
import type { HistogramState } from '../histogram.js';

/** Where a generator thread connects its clients: plain data, so it can cross to a worker. */
export type Endpoint =
  | { server: 'switchboard'; tcp: number; line: number; http: number }
  | { server: 'nats'; port: number; subject: string }
  | { server: 'socket.io'; port: number };

/**
 * Saturating: each sender keeps at most `window` messages in flight (sent, not yet delivered to
 * every other client), so the server's queues, not the generator's pace, set the throughput,
 * and no receiver falls far enough behind to meet the 1 MiB slow-consumer cap.
 * Rate: open loop, `perSecond` messages in total, spread evenly over the senders.
 */
export type Pace = { kind: 'saturate'; window: number } | { kind: 'rate'; perSecond: number };

/** Progress slots per thread in SharedRun.progress, 64 bytes apart (no false sharing). */
export const PROGRESS_STRIDE = 8;
export const PROGRESS_RECEIVED = 0;
export const PROGRESS_LAST_DELIVERY_US = 1;
export const PROGRESS_ALL_SENT = 2;

/** Memory every generator thread of a run shares. */
export interface SharedRun {
  /** Int32 per message (sender × perSender): threads that delivered it to all their receivers. */
  threadsDone: SharedArrayBuffer;
  /** Int32 per sender: messages delivered everywhere, in order (the saturating window's base). */
  completed: SharedArrayBuffer;
  /** Float64 × PROGRESS_STRIDE per thread: received, last delivery time, all own sends done. */
  progress: SharedArrayBuffer;
  /** Int32[1]: the main thread sets it to end the run. */
  stop: SharedArrayBuffer;
}

export interface WorkerRunPlan {
  run: number;
  /** Kind of every client of the room, by client index. */
  kinds: ClientKind[];
  /** Room number of every client, by client index (all 0 in a single-room workload). */
  roomOf: readonly number[];
  /** Client index of each sender slot. */
  senderClient: number[];
  /** Per sender: how many threads hold at least one of its receivers. */
  threadsNeeded: number[];
  perSender: number;
  pace: Pace;
  /** When sending starts, on clock.ts's timeline. */
  startUs: number;
}

/** What a thread saw during one run, sent back when the main thread ends it. */
export interface WorkerRunReport {
  latency: HistogramState;
  latencyByKind: Partial<Record<ClientKind, HistogramState>>;
  selfEchoes: number;
  duplicates: number;
  outOfOrder: number;
  stale: number;
  /** Bench texts that reached a member of another room than their sender's (a server bug). */
  crossRoom: number;
  serverErrors: number;
  errorSamples: string[];
  maxSendLagMs: number;
}

export interface ClientStatus {
  clients: number;
  bytesIn: number;
  dropped: number;
}

export type WorkerRequest =
  | { id: number; type: 'connect'; endpoint: Endpoint; clients: { index: number; kind: ClientKind; room: string | null }[]; concurrency: number; lazy: boolean }
  | { id: number; type: 'run'; plan: WorkerRunPlan; shared: SharedRun }
  | { id: number; type: 'finish' }
  | { id: number; type: 'status' }
  | { id: number; type: 'disconnect' };

export type WorkerReply =
  | { id: number; type: 'connected'; connected: number; failed: number; firstError: string | null }
  | { id: number; type: 'started' }
  | { id: number; type: 'finished'; report: WorkerRunReport }
  | { id: number; type: 'status'; status: ClientStatus }
  | { id: number; type: 'disconnected' }
  | { id: number; type: 'failed'; error: string };
