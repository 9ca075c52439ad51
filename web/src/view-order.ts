/**
 * The conversation Alt+Up (step -1) or Alt+Down (step 1) moves to, in the order the room list
 * shows them; null at either end (the keys stop there rather than wrap, so holding one down
 * cannot spin past the room a reader was looking for) or when there is nothing to move to.
 */
export function neighbour<T>(items: readonly T[], current: T | null, step: 1 | -1): T | null {
  if (items.length === 0) return null;
  const index = current === null ? -1 : items.indexOf(current);
  if (index === -1) return items[step === 1 ? 0 : items.length - 1] ?? null;
  return items[index + step] ?? null;
}
