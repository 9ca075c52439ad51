import type { MemberInfo } from '../../shared/events.js';
import { nickKey } from '../../shared/nick.js';

/** A member connected to another instance, as this instance last heard of it. */
export interface RemoteMember {
  info: MemberInfo;
  instance: string;
}

/** Where remote joins and leaves are announced (the room's PresenceAnnouncer). */
export interface PresenceSink {
  joined(member: null, info: () => MemberInfo): void;
  left(info: MemberInfo, reason: string | undefined): void;
}

/**
 * This instance's copy of the members of the other instances (`--redis`), kept from their
 * presence events and replaced wholesale after a reconnect. It answers `/who`, the welcome's list
 * and the local half of the nickname check without a round trip, and announces every change to
 * this instance's members.
 */
export class RemoteMembers {
  private readonly byId = new Map<number, RemoteMember>();
  private readonly byNick = new Map<string, number>();
  private readonly presence: PresenceSink;
  private readonly announceRename: (info: MemberInfo, previous: string) => void;

  constructor(presence: PresenceSink, announceRename: (info: MemberInfo, previous: string) => void) {
    this.presence = presence;
    this.announceRename = announceRename;
  }

  /** A member of another instance joined (or was found in a resync); known ones are ignored. */
  joined(info: MemberInfo, instance: string): void {
    if (this.add(info, instance)) this.presence.joined(null, () => info);
  }

  left(id: number, reason?: string): void {
    const info = this.remove(id);
    if (info !== undefined) this.presence.left(info, reason);
  }

  renamed(info: MemberInfo, previous: string): void {
    if (this.rename(info)) this.announceRename(info, previous);
  }

  /**
   * After a (re)connect to the shared room: its full member list replaces what this instance
   * knew, and the differences are announced as joins and leaves.
   */
  replaceAll(members: readonly RemoteMember[], reason: string): void {
    const seen = new Set<number>();
    for (const { info, instance } of members) {
      seen.add(info.id);
      this.joined(info, instance);
    }
    for (const { info } of [...this.byId.values()]) if (!seen.has(info.id)) this.left(info.id, reason);
  }

  /** Every member of a vanished instance leaves (its presence expired in the shared room). */
  instanceGone(instance: string, reason: string): void {
    for (const info of this.ofInstance(instance)) this.left(info.id, reason);
  }

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<RemoteMember> {
    return this.byId.values();
  }

  /** True if the member was not known yet. */
  private add(info: MemberInfo, instance: string): boolean {
    if (this.byId.has(info.id)) return false;
    this.byId.set(info.id, { info, instance });
    this.byNick.set(nickKey(info.name), info.id);
    return true;
  }

  /** The member's info before it left, or undefined if it was not known. */
  private remove(id: number): MemberInfo | undefined {
    const entry = this.byId.get(id);
    if (entry === undefined) return undefined;
    this.byId.delete(id);
    const key = nickKey(entry.info.name);
    if (this.byNick.get(key) === id) this.byNick.delete(key);
    return entry.info;
  }

  /** Records a new name; returns false if the member is unknown (its join is still to come). */
  private rename(info: MemberInfo): boolean {
    const entry = this.byId.get(info.id);
    if (entry === undefined) return false;
    const oldKey = nickKey(entry.info.name);
    if (this.byNick.get(oldKey) === info.id) this.byNick.delete(oldKey);
    entry.info = info;
    this.byNick.set(nickKey(info.name), info.id);
    return true;
  }

  /** Whether a member of another instance goes by this name (compared by nick key). */
  hasName(key: string): boolean {
    return this.byNick.has(key);
  }

  /** The members this instance knows on `instance`. */
  private ofInstance(instance: string): MemberInfo[] {
    const out: MemberInfo[] = [];
    for (const entry of this.byId.values()) if (entry.instance === instance) out.push(entry.info);
    return out;
  }
}
