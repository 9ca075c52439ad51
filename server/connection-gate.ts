/**
 * Connection limits shared by every transport: a total cap and a per-IP cap on open
 * connections. Checked before a connection joins the room; released when it closes.
 */
export class ConnectionGate {
  private total = 0;
  private readonly perIp = new Map<string, number>();

  /** 0 turns a limit off. */
  constructor(
    readonly maxConnections: number,
    readonly maxPerIp: number,
  ) {}

  get open(): number {
    return this.total;
  }

  /** Why this IP may not connect now, or null when it is admitted (and counted). */
  admit(ip: string): string | null {
    if (this.maxConnections > 0 && this.total >= this.maxConnections) {
      return `server full: ${this.maxConnections} connections`;
    }
    const fromIp = this.perIp.get(ip) ?? 0;
    if (this.maxPerIp > 0 && fromIp >= this.maxPerIp) {
      return `too many connections from ${ip}: ${this.maxPerIp} at most`;
    }
    this.total += 1;
    this.perIp.set(ip, fromIp + 1);
    return null;
  }

  release(ip: string): void {
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp <= 0) return;
    this.total -= 1;
    if (fromIp === 1) this.perIp.delete(ip);
    else this.perIp.set(ip, fromIp - 1);
  }
}
