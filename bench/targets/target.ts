import type { ClientKind } from '../clients/bench-client.js';
import type { Endpoint } from '../generator/protocol.js';

export type TargetName = 'switchboard' | 'nats' | 'socket.io';

/**
 * A server under test with one room to fan out in: Switchboard (one process per workload),
 * NATS (one subject per workload) or the Socket.IO chat example (one process per workload).
 */
export interface Target {
  readonly name: TargetName;
  /** The server process, for CPU and memory from /proc; undefined when it cannot be told. */
  readonly pid: number | undefined;
  /** Flags this server was started with beyond the defaults (Switchboard's raised limits). */
  readonly flags: readonly string[];
  readonly kinds: readonly ClientKind[];
  /** Where the generator threads connect. */
  readonly endpoint: Endpoint;
  /** Stops the server if this bench started it for this workload. */
  stop(): Promise<void>;
}

/** A peer that could not be found or started: reported as missing, never faked. */
export interface MissingPeer {
  readonly missing: true;
  readonly name: TargetName;
  readonly why: string;
}
