import { nickKey, prepareNick } from './nick.js';

/** Room names: `#` and then this many characters at most (at least one). */
export const ROOM_NAME_MAX = 50;

/** The room every framed, line and page member joins on connecting, unless `--default-room` says. */
export const DEFAULT_ROOM = '#lobby';

/** Letters (with their marks), digits, `-`, `_` and `.`: one token on every wire, IRC's too. */
const ROOM_CHARACTERS = /^[\p{L}\p{M}\p{Nd}_.-]+$/u;

/**
 * The form a room name is shown and stored in: `#` added when it was left out (`/join ops`), then
 * width-mapped and NFC like a nickname.
 */
export function prepareRoomName(name: string): string {
  const trimmed = name.trim();
  return prepareNick(trimmed.startsWith('#') ? trimmed : `#${trimmed}`);
}

/** Why a room name (in its prepared form) is refused, or null when it is a room name. */
export function roomNameProblem(name: string): string | null {
  if (!name.startsWith('#')) return 'a room name starts with #';
  const rest = name.slice(1);
  const length = [...rest].length;
  if (length < 1 || length > ROOM_NAME_MAX) return `a room name is # and 1 to ${ROOM_NAME_MAX} characters`;
  if (!ROOM_CHARACTERS.test(rest)) return 'a room name has only letters, digits, -, _ and .';
  return null;
}

/**
 * The one comparison of room names, the nicknames' folding (case, width, look-alikes): `#Ops`,
 * `#ＯＰＳ` and `#οps` (Greek ο) are one room, so nobody opens a look-alike of a room to catch
 * the people who meant the real one.
 */
export function roomKey(name: string): string {
  return `#${nickKey(name.startsWith('#') ? name.slice(1) : name)}`;
}
