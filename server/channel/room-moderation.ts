import { nickKey } from '../../shared/nick.js';
import type { ModerationState, RoomBan } from '../history/moderation-record.js';

export type { ModerationState, RoomBan } from '../history/moderation-record.js';

/** The key a member's operator status and mute are filed under: its nick key (its address before it has a nickname). */
/** Names whose key was computed, and the key: most names are asked again and again. */
const keyCache = new Map<string, string>();
/** Past this the cache starts over: at most ~2 MB, and a flood of made-up names cannot grow it. */
const KEY_CACHE_MAX = 20_000;

/**
 * The key moderation files a member under: its nickname's key. Asked for every member of every
 * list a joiner gets (the @ of operators) and for every line said where someone is muted, while
 * the key itself (a confusable skeleton) costs ~1.5 µs: kept in a bounded cache.
 */
export function memberKey(name: string): string {
  let key = keyCache.get(name);
  if (key === undefined) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    key = nickKey(name);
    keyCache.set(name, key);
  }
  return key;
}

/**
 * A member as ban masks see it: `nick!transport@ip`, the nick part as its nick key, so a ban of
 * `alice` also stops `ALICE` and look-alikes of it. The transport stands where IRC has the user
 * name (IRC clients see the same in every prefix), the host is the connection's IP.
 */
export function banIdentity(name: string, transport: string, ip: string): string {
  return `${memberKey(name)}!${transport}@${ip}`.toLowerCase();
}

/**
 * `/ban` argument as a mask, as the operator wrote it (lowercased, so lists and `/unban` read
 * naturally): a plain nickname becomes `nick!*@*`; a mask (anything with `!` or `@`) is kept, with
 * missing parts as `*`. Matching compares its nick part's key (`maskKey`), so a ban of `alice`
 * also stops `ALICE` and look-alikes of it.
 */
export function banMask(target: string): string {
  if (!target.includes('!') && !target.includes('@')) return `${target}!*@*`.toLowerCase();
  const at = target.lastIndexOf('@');
  const left = at === -1 ? target : target.slice(0, at);
  const host = at === -1 ? '*' : target.slice(at + 1) || '*';
  const bang = left.indexOf('!');
  const nick = (bang === -1 ? left : left.slice(0, bang)) || '*';
  const user = bang === -1 ? '*' : left.slice(bang + 1) || '*';
  return `${nick}!${user}@${host}`.toLowerCase();
}

/**
 * What a mask is matched and compared by: its nick part as a nick key (wildcards kept), the rest
 * as written. Masks stored before they were kept as written already hold the key: a key's key is
 * itself, so they match and `/unban` the same.
 */
export function maskKey(mask: string): string {
  const bang = mask.indexOf('!');
  const nick = bang === -1 ? mask : mask.slice(0, bang);
  const rest = bang === -1 ? '' : mask.slice(bang);
  return `${nick === '*' ? nick : memberKey(nick)}${rest}`.toLowerCase();
}

function globMatches(mask: string, text: string): boolean {
  const pattern = mask.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${pattern}$`, 's').test(text);
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `2h`, `1d`, `30s` as milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})([smhd])$/i.exec(text);
  if (match === null) return null;
  return Number(match[1]) * DURATION_UNITS[match[2]!.toLowerCase()]!;
}

/**
 * One room's operators, bans, mutes and locks. It knows nothing of sessions: the hub asks it
 * with names and identities, and stores `state()` after every change.
 */
export class RoomModeration {
  readonly ops: Set<string>;
  readonly muted: Set<string>;
  bans: RoomBan[];
  topicLocked: boolean;
  moderated: boolean;

  constructor(state?: ModerationState) {
    this.ops = new Set(state?.ops ?? []);
    this.muted = new Set(state?.muted ?? []);
    this.bans = [...(state?.bans ?? [])];
    this.topicLocked = state?.topicLocked ?? false;
    this.moderated = state?.moderated ?? false;
  }

  isOp(name: string): boolean {
    return this.ops.size > 0 && this.ops.has(memberKey(name));
  }

  /**
   * Asked for every line said in the room: a room with no mutes answers without computing the
   * name's key (a confusable skeleton, ~1.5 µs, more than all of a small room's deliveries).
   */
  isMuted(name: string): boolean {
    return this.muted.size > 0 && this.muted.has(memberKey(name));
  }

  /** The bans that have not ended (ended ones are dropped). */
  activeBans(now: number): readonly RoomBan[] {
    this.bans = this.bans.filter((ban) => ban.until === null || ban.until > now);
    return this.bans;
  }

  /** The first ban that matches and has not ended. */
  banFor(identity: string, now: number): RoomBan | undefined {
    return this.activeBans(now).find((ban) => globMatches(maskKey(ban.mask), identity));
  }

  /** Adds or replaces the ban of `mask`. */
  ban(ban: RoomBan): void {
    const key = maskKey(ban.mask);
    this.bans = [...this.bans.filter((known) => maskKey(known.mask) !== key), ban];
  }

  /** Lifts the ban of `mask`; false if there was none. */
  unban(mask: string): boolean {
    const before = this.bans.length;
    const key = maskKey(mask);
    this.bans = this.bans.filter((known) => maskKey(known.mask) !== key);
    return this.bans.length !== before;
  }

  /** Takes another instance's state of the room (`--redis`): the whole of it, as it was sent. */
  replace(state: ModerationState): void {
    this.ops.clear();
    for (const key of state.ops) this.ops.add(key);
    this.muted.clear();
    for (const key of state.muted) this.muted.add(key);
    this.bans = [...state.bans];
    this.topicLocked = state.topicLocked;
    this.moderated = state.moderated;
  }

  state(): ModerationState {
    return { ops: [...this.ops], bans: [...this.bans], muted: [...this.muted], topicLocked: this.topicLocked, moderated: this.moderated };
  }

  /** Modes as IRC shows them (`+nt`, `+ntm`). */
  modeString(): string {
    return `+n${this.topicLocked ? 't' : ''}${this.moderated ? 'm' : ''}`;
  }
}
