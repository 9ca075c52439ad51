import type { ClientKind } from '../clients/bench-client.js';
import type { Endpoint } from '../generator/protocol.js';

/** `switchboard×2`: two Switchboard processes sharing one room through Redis (`--redis`). */
export type TargetName = 'switchboard' | 'switchboard×2' | 'nats' | 'socket.io';

/** Targets that are Switchboard itself, one process or several: they take its limit flags. */
export function isSwitchboard(name: TargetName): boolean {
  return name === 'switchboard' || name === 'switchboard×2';
}

/**
 * A server under test with one room to fan out in: Switchboard (one process per workload, or
 * two sharing the room through Redis), NATS (one subject per workload) or the Socket.IO chat
 * example (one process per workload).
 */
export interface Target {
  readonly name: TargetName;
  /**
   * The server processes (one, or every instance of a shared room), for CPU and memory from
   * /proc, summed; an undefined entry when it cannot be told.
   */
  readonly pids: readonly (number | undefined)[];
  /** Processes the servers rely on, measured apart from them (Redis for a shared room). */
  readonly helperPids: readonly number[];
  /** Flags this server was started with beyond the defaults (Switchboard's raised limits). */
  readonly flags: readonly string[];
  readonly kinds: readonly ClientKind[];
  /**
   * Where the generator threads connect: the room's clients are split over these in equal
   * contiguous blocks by client index (with one endpoint, everyone connects there).
   */
  readonly endpoints: readonly Endpoint[];
  /** Stops the server if this bench started it for this workload. */
  stop(): Promise<void>;
}

/** A peer that could not be found or started: reported as missing, never faked. */
export interface MissingPeer {
  readonly missing: true;
  readonly name: TargetName;
  readonly why: string;
}
