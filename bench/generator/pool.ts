import { Worker } from 'node:worker_threads';
import { GeneratorThread } from './generator-thread.js';
import type { ClientKind } from '../clients/bench-client.js';
import { nowMs, sleep } from '../clock.js';
import { interleave, type Mix } from '../mix.js';
import { layOut, roomNameOf, type RoomLayout } from '../rooms.js';
import type { ClientStatus, Endpoint, WorkerReply, WorkerRequest, WorkerRunPlan, WorkerRunReport, SharedRun } from './protocol.js';

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

type Pending = (reply: WorkerReply) => void;

/** A request without its id (the pool numbers them); distributes over the union. */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** The clients of one workload, in one room or several, spread over the pool's threads. */
export interface PoolRoom {
  readonly kinds: ClientKind[];
  /** Which room each client is in (see rooms.ts). */
  readonly layout: RoomLayout;
  readonly connectSeconds: number;
  readonly failed: number;
  readonly firstError: string | null;
}

/**
 * The load generator's threads. Client i of a room lives on thread i % size, so every thread
 * holds a share of every kind and of the senders. The main thread only orchestrates and
 * measures; on a 2-core machine two generator threads beside the server use what one could not.
 */
export class GeneratorPool {
  readonly size: number;
  private readonly workers: Worker[];
  /** With no worker threads, the one generator thread is the main thread. */
  private readonly inProcess: GeneratorThread | null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** `threads` worker threads; 0 runs the generator in the main thread. */
  constructor(threads: number) {
    this.size = Math.max(1, threads);
    this.inProcess = threads === 0 ? new GeneratorThread(0) : null;
    this.workers = Array.from({ length: threads }, (_, thread) => {
      const worker = new Worker(WORKER_SCRIPT, { workerData: { thread } });
      worker.on('message', (reply: WorkerReply) => {
        const resolve = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        resolve?.(reply);
      });
      worker.on('error', (error) => {
        throw error;
      });
      return worker;
    });
  }

  private async request(thread: number, body: RequestBody): Promise<WorkerReply> {
    const id = this.nextId++;
    if (this.inProcess !== null) {
      const reply = await this.inProcess.handle({ ...body, id } as WorkerRequest);
      if (reply.type === 'failed') throw new Error(`generator: ${reply.error}`);
      return reply;
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => (reply.type === 'failed' ? reject(new Error(`generator thread ${thread}: ${reply.error}`)) : resolve(reply)));
      this.workers[thread]!.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private all(body: RequestBody): Promise<WorkerReply[]> {
    return Promise.all(Array.from({ length: this.size }, (_, thread) => this.request(thread, body)));
  }

  /** Thread of client `index`. */
  threadOf(index: number): number {
    return index % this.size;
  }

  /**
   * Connects `mix` (kinds interleaved), then waits out the join notices. With several endpoints
   * (instances sharing one room) the clients are split in equal contiguous blocks by index, so
   * senders spread over the room are split too. `lazy` clients (idle rooms) read in bursts, see
   * BenchClient.setReading. With `rooms` above 1, each client then joins its room of rooms.ts's
   * layout (and leaves the default room) before it counts as connected.
   */
  async connect(endpoints: readonly Endpoint[], mix: Mix, concurrency = 100, lazy = false, rooms = 1): Promise<PoolRoom> {
    const started = nowMs();
    const kinds = interleave(mix);
    const layout = layOut(kinds.length, rooms);
    const endpointOf = (index: number) => Math.floor((index * endpoints.length) / kinds.length);
    const perRequest = Math.ceil(concurrency / (this.size * endpoints.length));
    const requests = endpoints.flatMap((endpoint, at) =>
      Array.from({ length: this.size }, (_, thread) => {
        const clients = kinds.flatMap((kind, index) => (this.threadOf(index) === thread && endpointOf(index) === at ? [{ index, kind, room: roomNameOf(layout, index) }] : []));
        return this.request(thread, { type: 'connect', endpoint, clients, concurrency: perRequest, lazy });
      }),
    );
    const replies = await Promise.all(requests);
    let failed = 0;
    let firstError: string | null = null;
    for (const reply of replies) {
      if (reply.type !== 'connected') continue;
      failed += reply.failed;
      firstError ??= reply.firstError;
    }
    await this.waitQuiet(lazy ? 2500 : 300);
    return { kinds, layout, connectSeconds: (nowMs() - started) / 1000, failed, firstError };
  }

  async status(): Promise<ClientStatus> {
    const total: ClientStatus = { clients: 0, bytesIn: 0, dropped: 0 };
    for (const reply of await this.all({ type: 'status' })) {
      if (reply.type !== 'status') continue;
      total.clients += reply.status.clients;
      total.bytesIn += reply.status.bytesIn;
      total.dropped += reply.status.dropped;
    }
    return total;
  }

  /**
   * Waits until no client has received anything for `quietMs` (Switchboard announces every join
   * to everyone, so N joins are N² notices), at most `maxMs`.
   */
  async waitQuiet(quietMs = 300, maxMs = 120_000): Promise<void> {
    const deadline = nowMs() + maxMs;
    let last = -1;
    let lastChange = nowMs();
    while (nowMs() < deadline) {
      const { bytesIn } = await this.status();
      if (bytesIn !== last) {
        last = bytesIn;
        lastChange = nowMs();
      } else if (nowMs() - lastChange >= quietMs) {
        return;
      }
      await sleep(50);
    }
  }

  async startRun(plan: WorkerRunPlan, shared: SharedRun): Promise<void> {
    await this.all({ type: 'run', plan, shared });
  }

  async finishRun(): Promise<WorkerRunReport[]> {
    const replies = await this.all({ type: 'finish' });
    return replies.flatMap((reply) => (reply.type === 'finished' ? [reply.report] : []));
  }

  async disconnect(): Promise<void> {
    await this.all({ type: 'disconnect' });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
