import type { ClientKind } from './clients/bench-client.js';

/** How many clients of each kind a room holds. */
export type Mix = Partial<Record<ClientKind, number>>;

export function mixTotal(mix: Mix): number {
  return Object.values(mix).reduce((sum, count) => sum + (count ?? 0), 0);
}

/** Kinds in round-robin order (tcp, line, ws, tcp, ...), so any spread of senders mixes them too. */
export function interleave(mix: Mix): ClientKind[] {
  const left = new Map<ClientKind, number>(Object.entries(mix).filter(([, count]) => (count ?? 0) > 0) as [ClientKind, number][]);
  const kinds: ClientKind[] = [];
  while (left.size > 0) {
    for (const [kind, count] of left) {
      kinds.push(kind);
      if (count === 1) left.delete(kind);
      else left.set(kind, count - 1);
    }
  }
  return kinds;
}

/** `tcp 34 + line 33 + ws 33`, for tables. */
export function describeMix(mix: Mix): string {
  return Object.entries(mix)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(' + ');
}
