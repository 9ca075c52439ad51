/* What the store keeps of a room's moderation; server/channel/room-moderation.ts acts on it. */

/** A ban of one room: a mask over `nick!transport@ip`, until a time or (null) until `/unban`. */
export interface RoomBan {
  mask: string;
  /** Epoch ms when it ends; null: until lifted. */
  until: number | null;
  /** Who set it (a name, for `/ban` lists and logs). */
  by: string;
}

/** What is stored of a room's moderation (SQLite `room_moderation`, as JSON): it survives a restart. */
export interface ModerationState {
  /** Operators by nick key (shared/nick.ts nickKey): without accounts a nickname is all there is. */
  ops: string[];
  bans: RoomBan[];
  /** Muted members by nick key. */
  muted: string[];
  /** `/lock topic`, IRC +t: only operators set the topic. */
  topicLocked: boolean;
  /** `/lock talk`, IRC +m: only operators speak. */
  moderated: boolean;
}

/** A stored state, checked (the JSON of an older or damaged row must not break a room). */
export function parseModerationState(json: string): ModerationState | undefined {
  try {
    return checkModerationState(JSON.parse(json) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * A state as another instance or an older row wrote it, kept to what is well formed: entries of
 * the wrong shape are dropped (not the whole state), anything that is not an object is undefined.
 */
export function checkModerationState(raw: unknown): ModerationState | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const value = raw as Partial<Record<keyof ModerationState, unknown>>;
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
  const bans = Array.isArray(value.bans) ? value.bans.filter(isRoomBan) : [];
  return { ops: strings(value.ops), bans, muted: strings(value.muted), topicLocked: value.topicLocked === true, moderated: value.moderated === true };
}

function isRoomBan(ban: unknown): ban is RoomBan {
  if (typeof ban !== 'object' || ban === null) return false;
  const { mask, until, by } = ban as Partial<Record<keyof RoomBan, unknown>>;
  return typeof mask === 'string' && (until === null || typeof until === 'number') && typeof by === 'string';
}

/** Two states the same (a re-read that changes nothing is not announced). */
export function sameModeration(a: ModerationState, b: ModerationState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
