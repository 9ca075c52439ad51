/** The kinds of client the load generator speaks: Switchboard's three transports and the peers'. */
export type ClientKind = 'tcp' | 'line' | 'ws' | 'nats' | 'sio';

/** Where a client reports what it receives; swapped between runs by the workload. */
export interface ReceiveSink {
  /** A chat text starting with the bench marker, received by client number `receiver`. */
  onMarker(receiver: number, text: string): void;
  /** The same, as bytes `buf[start, end)` (ASCII), so the TCP clients need not make a string. */
  onMarkerBytes(receiver: number, buf: Uint8Array, start: number, end: number): void;
  /** A refusal from the server to this client (flood limit, slow consumer, connection limit). */
  onServerError(receiver: number, text: string): void;
}

/** One load-generator connection. Receiving is push-only: the client calls its sink. */
export interface BenchClient {
  readonly kind: ClientKind;
  readonly index: number;
  /** Bytes received so far (to see when a join storm has settled). */
  readonly bytesIn: number;
  /** True once the connection ended without close() being asked for. */
  readonly dropped: boolean;
  send(text: string): void;
  /**
   * Stops or restarts reading from the socket. Idle rooms read in short bursts (see
   * GeneratorThread): every byte still arrives, in fewer reads, so the generator leaves the CPU
   * to the server it measures.
   */
  setReading(on: boolean): void;
  /**
   * Joins `room` and leaves the room every member starts in, so the member is in `room` alone;
   * resolves once the server has done both. Only clients of a server with rooms have it.
   */
  enterRoom?(room: string): Promise<void>;
  close(): Promise<void>;
}

/** Connects one client of a kind the target serves; `room` names the run's room or subject. */
export type ClientFactory = (kind: ClientKind, index: number, sink: ReceiveSink) => Promise<BenchClient>;

/** A sink that ignores everything (idle connections). */
export const IGNORE: ReceiveSink = {
  onMarker() {},
  onMarkerBytes() {},
  onServerError() {},
};

/** Forwards to whichever sink is current, so connected clients can serve several runs. */
export class SinkSwitch implements ReceiveSink {
  current: ReceiveSink = IGNORE;

  onMarker(receiver: number, text: string): void {
    this.current.onMarker(receiver, text);
  }

  onMarkerBytes(receiver: number, buf: Uint8Array, start: number, end: number): void {
    this.current.onMarkerBytes(receiver, buf, start, end);
  }

  onServerError(receiver: number, text: string): void {
    this.current.onServerError(receiver, text);
  }
}
