import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MemberInfo } from '../../shared/events.js';
import type { LocalMember, NickClaim } from '../hub/cluster-link.js';
import type { RoomRef } from '../message/outgoing-message.js';
import type { PresenceEvent } from './presence-events.js';
import type { RedisClock } from './redis-clock.js';
import type { RedisKeys } from './redis-keys.js';
import type { ListedMember } from './remote-roster.js';
import { isMemberInfo, isRoomRef, memberOf, parseJson, roomOf } from './wire-values.js';

/** A member as stored in its instance's hash: enough to list it in its rooms, and to free its name if it dies. */
interface StoredMember extends MemberInfo {
  instance: string;
  nickKey: string | null;
  /** `instance:id`, the value the nicks hash holds for this member's name. */
  holder: string;
  rooms: RoomRef[];
}

/** A local member as this instance last wrote it: what a join or part rewrites. */
interface Written {
  info: MemberInfo;
  nickKey: string | null;
  rooms: Map<string, RoomRef>;
}

/**
 * This instance's presence in Redis: one hash of members per instance (each with the rooms it is
 * in), a sorted set of instances with the time their presence expires (heartbeats extend it),
 * one hash of nickname claims, and a channel of events. Every change is one HSET (or HDEL) and
 * one event about one member in at most one room. Writes are fire-and-forget: while Redis is
 * away they are skipped (or fail), and the link rewrites this instance's whole state
 * (`writeMembers`, then `claimNicks`) on every reconnect.
 */
export class SharedPresence {
  /** This instance's members, as the hub reported them (kept whether or not Redis is reachable). */
  private readonly local = new Map<number, Written>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly instance: string,
    private readonly ttlMs: number,
    /** After a Redis stall, how much longer than the TTL an instance has to come back (its reconnection delay). */
    private readonly stallAllowanceMs: number,
    private readonly clock: RedisClock,
    private readonly log: Logger,
    /** False while the connection is down: writes are skipped, the next full write repairs them. */
    private readonly writable: () => boolean,
  ) {}

  /**
   * A silence of every instance longer than this is Redis's own (see stallShift): half the TTL,
   * between the heartbeat period (a third) and the shortest expiry it must prevent.
   */
  private get stallMs(): string {
    return String(Math.round(this.ttlMs / 2));
  }

  /** Keeps this instance alive; true if it had been dropped (expired or new). */
  async heartbeat(): Promise<boolean> {
    const sentAt = this.clock.now();
    const [added, redisNow] = await this.redis.sbHeartbeat(this.keys.instances, this.keys.lastBeat, this.instance, String(this.ttlMs), this.stallMs, String(this.stallAllowanceMs));
    this.clock.sample(redisNow, sentAt);
    return added === 1;
  }

  /** Removes expired instances (any instance may do it; the script makes it happen once). */
  async reap(): Promise<number> {
    return this.redis.sbReap(this.keys.instances, this.keys.nicks, this.keys.lastBeat, this.keys.members(''), this.keys.presence, this.stallMs, String(this.stallAllowanceMs));
  }

  /**
   * After a (re)connect, once the members are written: claims every member's nickname again and
   * returns the members whose name is now held by someone else (taken on another instance while
   * this one could not ask).
   */
  async claimNicks(members: readonly LocalMember[]): Promise<number[]> {
    const lost: number[] = [];
    for (const { info, nickKey } of members) {
      if (nickKey !== null && (await this.claimNick(nickKey, info)) === 'taken') lost.push(info.id);
    }
    return lost;
  }

  /** This instance's members (from the hub) replace whatever Redis had for it. */
  async writeMembers(members: readonly LocalMember[]): Promise<void> {
    this.local.clear();
    for (const { info, nickKey, rooms } of members) this.local.set(info.id, { info: memberOf(info), nickKey, rooms: new Map(rooms.map((room) => [room.key, roomOf(room)])) });
    const key = this.keys.members(this.instance);
    const pipeline = this.redis.multi().del(key);
    for (const written of this.local.values()) pipeline.hset(key, String(written.info.id), this.stored(written));
    await pipeline.exec();
  }

  /** Tells the other instances to re-read this one's members (written again after a reconnect). */
  async announceResync(): Promise<void> {
    await this.redis.publish(this.keys.presence, JSON.stringify({ type: 'resync', instance: this.instance } satisfies PresenceEvent));
  }

  /** Every member of every live instance but this one, with its rooms. */
  async everyoneElse(): Promise<ListedMember[]> {
    const instances = await this.redis.zrange(this.keys.instances, '0', '-1');
    const out: ListedMember[] = [];
    for (const instance of instances) {
      if (instance === this.instance) continue;
      for (const raw of await this.redis.hvals(this.keys.members(instance))) {
        const stored = parseStored(raw);
        if (stored !== null) out.push({ info: memberOf(stored), instance, rooms: stored.rooms.map(roomOf) });
      }
    }
    return out;
  }

  connected(member: MemberInfo, nickKey: string | null): void {
    const written: Written = { info: memberOf(member), nickKey, rooms: new Map() };
    this.local.set(member.id, written);
    this.write(written, { type: 'hello', instance: this.instance, member: written.info });
  }

  joinedRoom(room: RoomRef, member: MemberInfo): void {
    const written = this.local.get(member.id);
    if (written === undefined) return;
    written.rooms.set(room.key, roomOf(room));
    this.write(written, { type: 'join', instance: this.instance, member: written.info, room: roomOf(room) });
  }

  partedRoom(room: RoomRef, member: MemberInfo, reason: string | undefined): void {
    const written = this.local.get(member.id);
    if (written === undefined || !written.rooms.delete(room.key)) return;
    this.write(written, { type: 'part', instance: this.instance, member: written.info, room: roomOf(room), ...(reason === undefined ? {} : { reason }) });
  }

  renamed(member: MemberInfo, previous: string, nickKey: string | null, previousKey: string | null): void {
    const written = this.local.get(member.id);
    if (written === undefined) return;
    written.info = memberOf(member);
    written.nickKey = nickKey;
    this.write(written, { type: 'nick', instance: this.instance, member: written.info, previous });
    if (previousKey !== null) this.releaseNick(previousKey, member);
  }

  disconnected(member: MemberInfo, nickKey: string | null, reason: string | undefined): void {
    this.local.delete(member.id);
    if (!this.writable()) return;
    const event: PresenceEvent = { type: 'quit', instance: this.instance, member: memberOf(member), ...(reason === undefined ? {} : { reason }) };
    const write = this.redis.multi().hdel(this.keys.members(this.instance), String(member.id)).publish(this.keys.presence, JSON.stringify(event)).exec();
    this.quietly(write, 'quit');
    if (nickKey !== null) this.releaseNick(nickKey, member);
  }

  async claimNick(nickKey: string, member: MemberInfo): Promise<NickClaim> {
    try {
      const granted = await this.redis.sbClaimNick(this.keys.nicks, this.keys.instances, nickKey, this.holder(member), this.keys.members(''));
      return granted === 1 ? 'granted' : 'taken';
    } catch {
      return 'unknown';
    }
  }

  releaseNick(nickKey: string, member: MemberInfo): void {
    if (this.writable()) this.quietly(this.redis.sbReleaseNick(this.keys.nicks, nickKey, this.holder(member)), 'nick release');
  }

  /** Graceful shutdown: this instance and its members leave at once, not after the TTL. */
  async unregister(members: readonly LocalMember[]): Promise<void> {
    const pipeline = this.redis.multi().zrem(this.keys.instances, this.instance).del(this.keys.members(this.instance));
    for (const { info, nickKey } of members) if (nickKey !== null) pipeline.sbReleaseNick(this.keys.nicks, nickKey, this.holder(info));
    pipeline.publish(this.keys.presence, JSON.stringify({ type: 'gone', instance: this.instance } satisfies PresenceEvent));
    await pipeline.exec();
  }

  /** The member's entry rewritten and the event published, in one MULTI (in order with the rest). */
  private write(written: Written, event: PresenceEvent): void {
    if (!this.writable()) return;
    const multi = this.redis.multi().hset(this.keys.members(this.instance), String(written.info.id), this.stored(written)).publish(this.keys.presence, JSON.stringify(event));
    this.quietly(multi.exec(), event.type);
  }

  private holder(member: MemberInfo): string {
    return `${this.instance}:${member.id}`;
  }

  private stored(written: Written): string {
    const stored: StoredMember = { ...written.info, instance: this.instance, nickKey: written.nickKey, holder: this.holder(written.info), rooms: [...written.rooms.values()] };
    return JSON.stringify(stored);
  }

  /** A presence write that failed is repaired by the next full write after a reconnect; it is only logged. */
  private quietly(write: Promise<unknown>, what: string): void {
    write.catch((error: unknown) => {
      this.log.debug({ err: error }, `presence ${what} not written to Redis`);
    });
  }
}

function parseStored(raw: string): StoredMember | null {
  const value = parseJson(raw);
  if (!isMemberInfo(value)) return null;
  const listed = (value as Partial<StoredMember>).rooms;
  const rooms = Array.isArray(listed) ? listed.filter(isRoomRef) : [];
  return { ...(value as StoredMember), rooms };
}

/** Whether two lists of local members say the same to Redis (ids, names, nickname keys, rooms). */
export function sameMembers(a: readonly LocalMember[], b: readonly LocalMember[]): boolean {
  const key = (members: readonly LocalMember[]) =>
    members
      .map(({ info, nickKey, rooms }) => `${info.id}\t${info.name}\t${nickKey ?? ''}\t${rooms.map((room) => room.key).sort().join(' ')}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}
