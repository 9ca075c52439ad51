import type { MemberInfo } from '../../shared/events.js';

/** A member connected to another instance, as this instance last heard of it. */
export interface RemoteMember {
  info: MemberInfo;
  instance: string;
}

/** Where remote joins and leaves are announced (the channel's PresenceAnnouncer). */
export interface PresenceSink {
  joined(member: null, info: () => MemberInfo): void;
  left(info: MemberInfo, reason: string | undefined): void;
}

/**
 * One room's members of the other instances (`--redis`), as the cluster's roster reports them
 * (it keeps the server-wide view: resyncs, grace periods, vanished instances). Here they answer
 * `/who` and the member lists without a round trip, and their joins and leaves are announced to
 * this room's local members like local ones.
 */
export class RemoteMembers {
  private readonly byId = new Map<number, RemoteMember>();
  private readonly presence: PresenceSink;

  constructor(presence: PresenceSink) {
    this.presence = presence;
  }

  /** A member of another instance joined the room; one already listed is not announced again. */
  joined(info: MemberInfo, instance: string): void {
    if (this.byId.has(info.id)) return;
    this.byId.set(info.id, { info, instance });
    this.presence.joined(null, () => info);
  }

  left(id: number, reason?: string): void {
    const entry = this.byId.get(id);
    if (entry === undefined) return;
    this.byId.delete(id);
    this.presence.left(entry.info, reason);
  }

  /**
   * Records a new name without announcing it (the hub announces a rename once for all the rooms
   * a member shares with each local member). False when the member is not here or the name is
   * the one it had.
   */
  rename(info: MemberInfo): boolean {
    const entry = this.byId.get(info.id);
    if (entry === undefined || entry.info.name === info.name) return false;
    entry.info = info;
    return true;
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  values(): IterableIterator<RemoteMember> {
    return this.byId.values();
  }
}
