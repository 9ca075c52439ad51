import type net from 'node:net';

/**
 * Closes one connection that serves nobody right now (an HTTP socket between requests, one that
 * has not finished sending its first request, a TLS handshake in progress), releasing its slot
 * before it returns. `ip` = one from that address; null = any. Returns false when there is none.
 */
export type Evictor = (ip: string | null) => boolean;

/**
 * Connection limits shared by every transport: a total cap and a per-IP cap on open sockets
 * (framed, line, and every accepted HTTP socket, a WebSocket being the HTTP socket it upgraded),
 * and the descriptors the process has for sockets. Checked when a socket is accepted; released
 * when it closes.
 *
 * At a cap, a socket that serves nobody (see Evictor) makes way for the newcomer instead of the
 * newcomer being refused: half-sent or idle HTTP requests are the cheapest thing to hold open,
 * and this way holding them can never lock a chat client out, whatever their number.
 */
export class ConnectionGate {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  /** Refused sockets still being told why: they hold descriptors too. */
  private lingering = 0;
  /** Sockets the process has descriptors for (limit minus what else is open, minus a reserve). */
  private socketCapacity = Number.POSITIVE_INFINITY;
  /** Asked in the order they were added: idle HTTP sockets first, then TLS handshakes. */
  private readonly evictors: Evictor[] = [];

  /** 0 turns a limit off. */
  constructor(
    readonly maxConnections: number,
    readonly maxPerIp: number,
  ) {}

  get open(): number {
    return this.total;
  }

  /** Caps open sockets at what the descriptor limit leaves for them (see descriptor-limit.ts). */
  limitSockets(capacity: number): void {
    this.socketCapacity = Math.max(1, capacity);
  }

  get capacity(): number {
    return this.socketCapacity;
  }

  addEvictor(evictor: Evictor): void {
    this.evictors.push(evictor);
  }

  private evict(ip: string | null): boolean {
    return this.evictors.some((evictor) => evictor(ip));
  }

  /** Why this IP may not connect now, or null when it is admitted (and counted). */
  admit(ip: string): string | null {
    if (this.total + this.lingering >= this.socketCapacity && !this.evict(null)) {
      return `server full: out of file descriptors for ${this.socketCapacity} connections`;
    }
    if (this.maxConnections > 0 && this.total >= this.maxConnections && !this.evict(null)) {
      return `server full: ${this.maxConnections} connections`;
    }
    if (this.maxPerIp > 0 && (this.perIp.get(ip) ?? 0) >= this.maxPerIp && !this.evict(ip)) {
      return `too many connections from ${ip}: ${this.maxPerIp} at most`;
    }
    this.total += 1;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    return null;
  }

  release(ip: string): void {
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp <= 0) return;
    this.total -= 1;
    if (fromIp === 1) this.perIp.delete(ip);
    else this.perIp.set(ip, fromIp - 1);
  }

  /**
   * A refused socket is told why before it is closed, which keeps its descriptor a moment longer.
   * True: go ahead (counted until it closes). False: no descriptor to spare, destroy it now.
   */
  lingerRefused(socket: net.Socket): boolean {
    if (this.total + this.lingering >= this.socketCapacity) return false;
    this.lingering += 1;
    socket.once('close', this.onRefusedClosed);
    return true;
  }

  private readonly onRefusedClosed = (): void => {
    this.lingering -= 1;
  };
}
