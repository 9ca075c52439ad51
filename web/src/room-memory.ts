/**
 * The rooms this page is in, remembered in localStorage so a reload joins them again (the server
 * forgets a page's rooms when its connection ends). Guarded like the nickname (storage.ts):
 * storage can be disabled or full, and losing the list must never break the page.
 */
const ROOMS_KEY = 'switchboard.rooms';
/** More than any server lets one member join (`--max-rooms-per-member` defaults to 50). */
const REMEMBERED_MAX = 200;

/** The remembered list as stored, or [] for anything that is not a list of room names. */
export function parseRememberedRooms(stored: string | null): string[] {
  if (stored === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const rooms = value.filter((name): name is string => typeof name === 'string' && name.startsWith('#') && name.length > 1);
  return [...new Set(rooms)].slice(0, REMEMBERED_MAX);
}

export function loadRooms(): string[] {
  try {
    return parseRememberedRooms(window.localStorage.getItem(ROOMS_KEY));
  } catch {
    return [];
  }
}

export function saveRooms(rooms: readonly string[]): void {
  try {
    window.localStorage.setItem(ROOMS_KEY, JSON.stringify(rooms.slice(0, REMEMBERED_MAX)));
  } catch {
    // Not remembered across reloads; this session still works.
  }
}
