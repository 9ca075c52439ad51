import { type MemberInfo, TRANSPORTS as TRANSPORT_LIST } from '../../shared/events.js';
import type { RoomRef } from '../message/outgoing-message.js';

/**
 * Checks of the values other instances write to Redis (stream entries, presence events, direct
 * messages). What fails a check is another version's or garbage: it is skipped, never trusted.
 */

const TRANSPORTS: ReadonlySet<string> = new Set<string>(TRANSPORT_LIST);

export function isMemberInfo(value: unknown): value is MemberInfo {
  if (typeof value !== 'object' || value === null) return false;
  const member = value as Partial<Record<string, unknown>>;
  return Number.isSafeInteger(member['id']) && typeof member['name'] === 'string' && typeof member['transport'] === 'string' && TRANSPORTS.has(member['transport']);
}

export function isRoomRef(value: unknown): value is RoomRef {
  if (typeof value !== 'object' || value === null) return false;
  const room = value as Partial<Record<string, unknown>>;
  return typeof room['key'] === 'string' && typeof room['name'] === 'string' && room['key'].startsWith('#');
}

/** The member as written to Redis: its three fields, nothing else a caller's object carries. */
export function memberOf(info: MemberInfo): MemberInfo {
  return { id: info.id, name: info.name, transport: info.transport };
}

/** The room as written to Redis: the hub hands over its Channel objects, which must not be serialized. */
export function roomOf(room: RoomRef): RoomRef {
  return { key: room.key, name: room.name };
}

/** JSON text to a value, or undefined when it is not JSON. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
