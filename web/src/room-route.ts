/**
 * The URL fragment names the conversation shown, `#/room/ops` or `#/dm/bob`, so a reload (or a
 * shared link) comes back to it. Names go through encodeURIComponent: a room or nickname may hold
 * any letter, and `%` or `/` must not break the fragment apart.
 */
export type Route = { kind: 'room'; room: string } | { kind: 'dm'; peer: string };

const ROOM_PREFIX = '#/room/';
const DM_PREFIX = '#/dm/';

/** The conversation a fragment names, or null for none (or one this page cannot read). */
export function parseRoute(hash: string): Route | null {
  if (hash.startsWith(ROOM_PREFIX)) {
    const name = decoded(hash.slice(ROOM_PREFIX.length));
    if (name === null) return null;
    const bare = name.startsWith('#') ? name.slice(1) : name;
    return bare === '' ? null : { kind: 'room', room: `#${bare}` };
  }
  if (hash.startsWith(DM_PREFIX)) {
    const peer = decoded(hash.slice(DM_PREFIX.length));
    return peer === null || peer === '' ? null : { kind: 'dm', peer };
  }
  return null;
}

/** The fragment for a conversation: the room without its `#`, which would read as a second fragment. */
export function routeHash(route: Route): string {
  return route.kind === 'room'
    ? `${ROOM_PREFIX}${encodeURIComponent(route.room.startsWith('#') ? route.room.slice(1) : route.room)}`
    : `${DM_PREFIX}${encodeURIComponent(route.peer)}`;
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text).trim();
  } catch {
    return null;
  }
}
