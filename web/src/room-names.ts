/**
 * The page's guess at the default room before the first welcome says which it is: the server's
 * own default (`DEFAULT_ROOM` in shared/room-name.ts). Not imported from there: that module brings
 * the nickname policy and its ~160 kB of Unicode tables, which the page loads only when needed.
 */
export const GUESSED_DEFAULT_ROOM = '#lobby';

/**
 * The page's own, cheap reading of room names: enough to tell that `#OPS`, `ops` and `#ops` name
 * the room it already shows, so a fragment or a typed `/join` selects that room instead of waiting
 * for the server. The server's comparison (`roomKey`: look-alikes too) needs ~100 kB of Unicode
 * tables; a look-alike the page does not recognise is simply joined, and the server says where.
 */
export function looseRoomKey(name: string): string {
  const trimmed = name.trim().normalize('NFKC').toLowerCase();
  return trimmed.startsWith('#') ? trimmed : `#${trimmed}`;
}

/** The room a typed `/join ROOM` asks for (as typed), or null when the line is not a join. */
export function joinTarget(text: string): string | null {
  const match = /^\/join\s+(\S+)/iu.exec(text.trim());
  return match === null ? null : match[1]!;
}
