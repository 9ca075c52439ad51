import type { MemberInfo } from '../../shared/events.js';
import { nickKey } from '../../shared/nick.js';
import type { ClusterSink, RemoteSession } from '../hub/cluster-link.js';
import type { RoomRef } from '../message/outgoing-message.js';
import type { PresenceEvent } from './presence-events.js';

/** A member of another instance as read from Redis: who, where, and in which rooms. */
export interface ListedMember {
  info: MemberInfo;
  instance: string;
  rooms: RoomRef[];
}

interface Known {
  info: MemberInfo;
  instance: string;
  /** The rooms it is in, by key. */
  rooms: Map<string, RoomRef>;
}

/** A member a resync did not find: still listed until `deadline` (epoch ms), then announced as gone. */
interface Missing {
  deadline: number;
  reason: string;
}

/** The events the roster applies as they come (the others are the link's). */
export type MemberEvent = Extract<PresenceEvent, { type: 'hello' | 'join' | 'part' | 'nick' | 'quit' | 'gone' }>;

/**
 * This instance's copy of the members of the other instances (`--redis`), server-wide: who they
 * are, where, and which rooms each is in. It is kept from the presence events and reconciled
 * with Redis after every reconnect, and every change it sees it tells the hub, room by room
 * (`remoteJoined`, `remoteParted`, `remoteRenamed`), so each room's RemoteMembers lists the same
 * members on every instance. It answers `/msg` and the cross-instance half of the nickname check
 * (`byNick`) without a round trip.
 */
export class RemoteRoster {
  private readonly byId = new Map<number, Known>();
  private readonly byNickKey = new Map<string, number>();
  private readonly missing = new Map<number, Missing>();
  private missingTimer: NodeJS.Timeout | null = null;
  /** Reads of Redis in flight, and the events applied meanwhile (member id → change number). */
  private reads = 0;
  private changes = 0;
  private readonly changedAt = new Map<number, number>();

  constructor(private readonly sink: () => ClusterSink | null) {}

  /** Members of the other instances. */
  get size(): number {
    return this.byId.size;
  }

  /** The member of another instance going by this nickname key (its nickname, or its address). */
  byNick(key: string): RemoteSession | undefined {
    const id = this.byNickKey.get(key);
    const known = id === undefined ? undefined : this.byId.get(id);
    return known === undefined ? undefined : { info: known.info, instance: known.instance, rooms: [...known.rooms.keys()] };
  }

  /**
   * A read of Redis starts: events applied from now on are newer than what it returns, so the
   * `replaceAll` that ends it leaves the members they were about as the events left them (a stale
   * list must not part a room just joined, bring back a member who just quit, or count a member
   * who just connected as missing). Returns the mark to hand to `replaceAll`.
   */
  beginRead(): number {
    this.reads += 1;
    return this.changes;
  }

  /** The read ended (applied or failed). */
  endRead(): void {
    this.reads -= 1;
    if (this.reads === 0) this.changedAt.clear();
  }

  apply(event: MemberEvent): void {
    if (this.reads > 0) this.noteChanges(event);
    switch (event.type) {
      case 'hello':
        this.hello(event.member, event.instance);
        return;
      case 'join':
        this.joined(event.room, event.member, event.instance);
        return;
      case 'part':
        this.parted(event.room, event.member.id, event.reason);
        return;
      case 'nick':
        this.renamed(event.member, event.previous);
        return;
      case 'quit':
        this.quit(event.member.id, event.reason);
        return;
      case 'gone':
        this.instanceGone(event.instance, 'instance gone');
        return;
    }
  }

  /** A member connected (or was found in a resync); a known one is left as it is. */
  hello(info: MemberInfo, instance: string): Known {
    this.missing.delete(info.id);
    const known = this.byId.get(info.id);
    if (known !== undefined) return known;
    const added: Known = { info, instance, rooms: new Map() };
    this.byId.set(info.id, added);
    this.byNickKey.set(nickKey(info.name), info.id);
    return added;
  }

  /** A member joined a room; a member not known yet is added (its hello was missed). */
  joined(room: RoomRef, info: MemberInfo, instance: string): void {
    const known = this.hello(info, instance);
    if (known.rooms.has(room.key)) return;
    known.rooms.set(room.key, room);
    this.sink()?.remoteJoined(room, known.info, instance);
  }

  parted(room: RoomRef, id: number, reason: string | undefined): void {
    const known = this.byId.get(id);
    if (known === undefined || !known.rooms.delete(room.key)) return;
    this.sink()?.remoteParted(room, id, reason);
  }

  renamed(info: MemberInfo, previous: string): void {
    const known = this.byId.get(info.id);
    if (known === undefined || known.info.name === info.name) return;
    const oldKey = nickKey(known.info.name);
    if (this.byNickKey.get(oldKey) === info.id) this.byNickKey.delete(oldKey);
    known.info = info;
    this.byNickKey.set(nickKey(info.name), info.id);
    this.sink()?.remoteRenamed(info, previous);
  }

  /** A member disconnected (or vanished): it leaves every room it was in. */
  quit(id: number, reason: string | undefined): void {
    this.missing.delete(id);
    const known = this.byId.get(id);
    if (known === undefined) return;
    this.byId.delete(id);
    const key = nickKey(known.info.name);
    if (this.byNickKey.get(key) === id) this.byNickKey.delete(key);
    const sink = this.sink();
    for (const room of known.rooms.values()) sink?.remoteParted(room, id, reason);
  }

  /** Every member of a vanished instance leaves every room (its presence expired, or it shut down). */
  instanceGone(instance: string, reason: string): void {
    for (const [id, known] of [...this.byId]) if (known.instance === instance) this.quit(id, reason);
  }

  /**
   * After a (re)connect: what Redis lists is the truth. New members and new rooms are announced
   * as joins, rooms a member is no longer in as parts, new names of known members as renames (a
   * rename made while the server was split reached nobody). A known member missing from the list
   * stays listed, in its rooms, for `graceMs` and is announced as gone only if no resync or event
   * brings it back by then: after a split heals the instances re-register one by one, and a
   * member whose instance has not yet is not gone.
   */
  replaceAll(listed: readonly ListedMember[], reason: string, graceMs: number, mark: number): void {
    const seen = new Set<number>();
    for (const { info, instance, rooms } of listed) {
      seen.add(info.id);
      if (this.changedAfter(info.id, mark)) continue;
      const previous = this.byId.get(info.id)?.info.name;
      const known = this.hello(info, instance);
      if (previous !== undefined && previous !== info.name) this.renamed(info, previous);
      const now = new Set(rooms.map((room) => room.key));
      for (const room of [...known.rooms.values()]) if (!now.has(room.key)) this.parted(room, info.id, undefined);
      for (const room of rooms) this.joined(room, info, instance);
    }
    const deadline = Date.now() + graceMs;
    for (const id of this.byId.keys()) {
      if (!seen.has(id) && !this.missing.has(id) && !this.changedAfter(id, mark)) this.missing.set(id, { deadline, reason });
    }
    this.settleMissing();
  }

  private changedAfter(id: number, mark: number): boolean {
    return (this.changedAt.get(id) ?? 0) > mark;
  }

  /** Records which members an event is about, while a read is in flight. */
  private noteChanges(event: MemberEvent): void {
    this.changes += 1;
    if (event.type !== 'gone') {
      this.changedAt.set(event.member.id, this.changes);
      return;
    }
    for (const [id, known] of this.byId) if (known.instance === event.instance) this.changedAt.set(id, this.changes);
  }

  /** Forgets everyone without telling the hub (shutdown). */
  stop(): void {
    if (this.missingTimer !== null) clearTimeout(this.missingTimer);
    this.missingTimer = null;
    this.missing.clear();
  }

  /** Announces the missing members whose grace ran out; waits for the next deadline, if any. */
  private readonly settleMissing = (): void => {
    if (this.missingTimer !== null) clearTimeout(this.missingTimer);
    this.missingTimer = null;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, { deadline, reason }] of [...this.missing]) {
      if (deadline <= now) this.quit(id, reason);
      else next = Math.min(next, deadline);
    }
    if (next === Number.POSITIVE_INFINITY) return;
    this.missingTimer = setTimeout(this.settleMissing, next - now);
    this.missingTimer.unref();
  };
}
