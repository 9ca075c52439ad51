import type { MemberInfo } from '../../shared/events.js';
import { nickKey } from '../../shared/nick.js';

/** A member connected to another instance, as this instance last heard of it. */
export interface RemoteMember {
  info: MemberInfo;
  instance: string;
}

/**
 * This instance's copy of the members of the other instances (`--redis`), kept from their
 * presence events and replaced wholesale after a reconnect. It answers `/who`, the welcome's list
 * and the local half of the nickname check without a round trip.
 */
export class RemoteMembers {
  private readonly byId = new Map<number, RemoteMember>();
  private readonly byNick = new Map<string, number>();

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<RemoteMember> {
    return this.byId.values();
  }

  /** True if the member was not known yet. */
  add(info: MemberInfo, instance: string): boolean {
    if (this.byId.has(info.id)) return false;
    this.byId.set(info.id, { info, instance });
    this.byNick.set(nickKey(info.name), info.id);
    return true;
  }

  /** The member's info before it left, or undefined if it was not known. */
  remove(id: number): MemberInfo | undefined {
    const entry = this.byId.get(id);
    if (entry === undefined) return undefined;
    this.byId.delete(id);
    const key = nickKey(entry.info.name);
    if (this.byNick.get(key) === id) this.byNick.delete(key);
    return entry.info;
  }

  /** Records a new name; returns false if the member is unknown (its join is still to come). */
  rename(info: MemberInfo): boolean {
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
  ofInstance(instance: string): MemberInfo[] {
    const out: MemberInfo[] = [];
    for (const entry of this.byId.values()) if (entry.instance === instance) out.push(entry.info);
    return out;
  }
}
