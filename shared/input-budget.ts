/** Something that holds memory under the budget: one connection's input buffer. */
export interface BudgetHolder {
  /** Bytes held now, as counted by the budget. */
  readonly held: number;
  /** Chosen to make room for another holder: drop everything (the budget has stopped counting it). */
  evict(): void;
}

/**
 * A server-wide cap on memory held for unfinished input (partial frames and lines) across every
 * connection. Each connection's cap (`--max-payload`) alone allows 10,000 connections × 64 KiB of
 * half-sent frames: 640 MB that nothing stops. When a holder's growth would pass the cap, the
 * largest holder is evicted (its connection is closed) to make room: a flood of big unfinished
 * frames is cut at its biggest members, while a member whose ordinary message happens to arrive in
 * two reads keeps its connection. If the asker would then hold at least as much as the largest,
 * the asker is refused instead; so evicting one holder always frees more than the asker wants, and
 * one is enough. Pure: it counts bytes and calls back; closing connections is the caller's job.
 */
export class InputBudget {
  readonly limit: number;
  private heldTotal = 0;
  /** Holders holding anything; scanned for the largest only when the budget is full. */
  private readonly holders = new Set<BudgetHolder>();

  /** `limit` in bytes; 0 = no limit (holders are still counted, nothing is refused). */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held for unfinished input right now, over every holder. */
  get held(): number {
    return this.heldTotal;
  }

  /**
   * May `holder` grow by `bytes`? Called before it grows; on true it must grow by exactly that
   * much. May evict another holder first.
   */
  grant(holder: BudgetHolder, bytes: number): boolean {
    if (this.limit > 0) {
      while (this.heldTotal + bytes > this.limit) {
        const largest = this.largestHolder();
        if (largest === undefined || largest === holder || largest.held <= holder.held + bytes) return false;
        this.heldTotal -= largest.held;
        this.holders.delete(largest);
        largest.evict();
      }
    }
    this.heldTotal += bytes;
    this.holders.add(holder);
    return true;
  }

  /** `holder` gave back `bytes`; called after it shrank. */
  release(holder: BudgetHolder, bytes: number): void {
    this.heldTotal -= bytes;
    if (holder.held === 0) this.holders.delete(holder);
  }

  private largestHolder(): BudgetHolder | undefined {
    let largest: BudgetHolder | undefined;
    for (const holder of this.holders) if (largest === undefined || holder.held > largest.held) largest = holder;
    return largest;
  }
}
