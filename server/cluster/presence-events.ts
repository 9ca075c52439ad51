import type { MemberInfo } from '../../shared/events.js';
import { checkModerationState, type ModerationState } from '../history/moderation-record.js';
import type { ModerationChange } from '../hub/cluster-link.js';
import type { RoomRef } from '../message/outgoing-message.js';
import { isMemberInfo, isRoomRef, parseJson } from './wire-values.js';

/**
 * What instances tell each other on the presence channel, each event about one member and at
 * most one room, so none grows with the number of rooms. Pub/sub is lossy: the hashes in Redis
 * are the record, and every instance re-reads them after a reconnect (see RemoteRoster).
 */
export type PresenceEvent =
  /** A member connected (it is in no room yet: its joins follow). */
  | { type: 'hello'; instance: string; member: MemberInfo }
  | { type: 'join'; instance: string; member: MemberInfo; room: RoomRef }
  | { type: 'part'; instance: string; member: MemberInfo; room: RoomRef; reason?: string }
  | { type: 'nick'; instance: string; member: MemberInfo; previous: string }
  /** A member disconnected: it leaves every room it was in, with the reason. */
  | { type: 'quit'; instance: string; member: MemberInfo; reason?: string }
  | { type: 'topic'; instance: string; room: RoomRef; topic: string }
  /** A room's moderation changed (the whole state: small, and a lost event is healed by the next). */
  | { type: 'moderation'; instance: string; room: RoomRef; state: ModerationState; change: ModerationChange | null }
  /** An account was registered or rehashed: read it from the accounts hash. */
  | { type: 'account'; instance: string; key: string }
  /** An operator kicked a member of another instance: the instance holding it removes it. */
  | { type: 'kick'; instance: string; room: RoomRef; target: number; by: MemberInfo; reason: string }
  /** An instance re-registered its members after a reconnect: read them again. */
  | { type: 'resync'; instance: string }
  /** An instance's presence expired (crash) or it shut down: its members are gone. */
  | { type: 'gone'; instance: string };

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** Parses one presence message; anything malformed is null (another version, or garbage). */
export function parsePresenceEvent(raw: string): PresenceEvent | null {
  const value = parseJson(raw);
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Partial<Record<string, unknown>>;
  if (typeof event['instance'] !== 'string') return null;
  const member = isMemberInfo(event['member']);
  const room = isRoomRef(event['room']);
  switch (event['type']) {
    case 'hello':
      return member ? (value as PresenceEvent) : null;
    case 'join':
      return member && room ? (value as PresenceEvent) : null;
    case 'part':
      return member && room && optionalString(event['reason']) ? (value as PresenceEvent) : null;
    case 'nick':
      return member && typeof event['previous'] === 'string' ? (value as PresenceEvent) : null;
    case 'quit':
      return member && optionalString(event['reason']) ? (value as PresenceEvent) : null;
    case 'topic':
      return room && typeof event['topic'] === 'string' ? (value as PresenceEvent) : null;
    case 'moderation':
      return room ? moderationEvent(event) : null;
    case 'account':
      return typeof event['key'] === 'string' ? (value as PresenceEvent) : null;
    case 'kick':
      return room && Number.isSafeInteger(event['target']) && isMemberInfo(event['by']) && typeof event['reason'] === 'string' ? (value as PresenceEvent) : null;
    case 'resync':
    case 'gone':
      return value as PresenceEvent;
    default:
      return null;
  }
}

/** A moderation event with its state checked entry by entry (as a stored row is). */
function moderationEvent(event: Partial<Record<string, unknown>>): PresenceEvent | null {
  const state = checkModerationState(event['state']);
  const change = event['change'];
  if (state === undefined || !(change === null || isModerationChange(change))) return null;
  return { type: 'moderation', instance: event['instance'] as string, room: event['room'] as RoomRef, state, change };
}

function isModerationChange(value: unknown): value is ModerationChange {
  if (typeof value !== 'object' || value === null) return false;
  const change = value as Partial<Record<keyof ModerationChange, unknown>>;
  return typeof change.text === 'string' && typeof change.mode === 'string' && isMemberInfo(change.setter);
}
