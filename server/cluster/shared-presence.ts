import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MemberInfo } from '../../shared/events.js';
import type { RemoteMember } from '../room/remote-members.js';
import type { NickClaim } from '../room/room-link.js';
import type { RedisKeys } from './redis-keys.js';

/** A member as stored in its instance's hash: enough to list it, and to free its name if it dies. */
interface StoredMember extends MemberInfo {
  instance: string;
  nickKey: string | null;
  /** `instance:id`, the value the nicks hash holds for this member's name. */
  holder: string;
}

/** What instances tell each other on the presence channel. */
export type PresenceEvent =
  | { type: 'join'; instance: string; member: MemberInfo }
  | { type: 'leave'; instance: string; member: MemberInfo; reason?: string }
  | { type: 'nick'; instance: string; member: MemberInfo; previous: string }
  /** An instance re-registered its members after a reconnect: read them again. */
  | { type: 'resync'; instance: string }
  /** An instance's presence expired (crash) or it shut down: its members are gone. */
  | { type: 'gone'; instance: string };

/** Parses one presence message; anything malformed is null (another version, or garbage). */
export function parsePresenceEvent(raw: string): PresenceEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Partial<Record<string, unknown>>;
  if (typeof event['instance'] !== 'string') return null;
  switch (event['type']) {
    case 'join':
    case 'leave':
    case 'nick':
      return isMemberInfo(event['member']) ? (value as PresenceEvent) : null;
    case 'resync':
    case 'gone':
      return value as PresenceEvent;
    default:
      return null;
  }
}

function isMemberInfo(value: unknown): value is MemberInfo {
  if (typeof value !== 'object' || value === null) return false;
  const member = value as Partial<Record<string, unknown>>;
  return typeof member['id'] === 'number' && typeof member['name'] === 'string' && typeof member['transport'] === 'string';
}

/**
 * Presence in Redis: one hash of members per instance, a sorted set of instances with the time
 * their presence expires (heartbeats extend it), one hash of nickname claims, and a channel of
 * events. All writes are fire-and-forget: while Redis is away they fail, and `register` (run on
 * every reconnect) rewrites this instance's whole state.
 */
export class SharedPresence {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly instance: string;
  private readonly ttlMs: number;
  private readonly log: Logger;

  constructor(redis: Redis, keys: RedisKeys, instance: string, ttlMs: number, log: Logger) {
    this.redis = redis;
    this.keys = keys;
    this.instance = instance;
    this.ttlMs = ttlMs;
    this.log = log;
  }

  /** Keeps this instance alive in the room; true if it had been dropped (expired or new). */
  async heartbeat(): Promise<boolean> {
    return (await this.redis.sbHeartbeat(this.keys.instances, this.instance, String(this.ttlMs))) === 1;
  }

  /** Removes expired instances (any instance may do it; the script makes it happen once). */
  async reap(): Promise<number> {
    return this.redis.sbReap(this.keys.instances, this.keys.nicks, this.keys.members(''), this.keys.presence);
  }

  /**
   * After a (re)connect: this instance's members replace whatever Redis had for it, its nicknames
   * are claimed again (returning those now held by someone else), and the others are told to
   * re-read.
   */
  async register(members: readonly { info: MemberInfo; nickKey: string | null }[]): Promise<number[]> {
    await this.heartbeat();
    const key = this.keys.members(this.instance);
    const pipeline = this.redis.multi().del(key);
    for (const { info, nickKey } of members) pipeline.hset(key, String(info.id), this.stored(info, nickKey));
    await pipeline.exec();
    const lost: number[] = [];
    for (const { info, nickKey } of members) {
      if (nickKey !== null && (await this.claimNick(nickKey, info)) === 'taken') lost.push(info.id);
    }
    await this.publish({ type: 'resync', instance: this.instance });
    return lost;
  }

  /** Every member of every live instance but this one. */
  async everyoneElse(): Promise<RemoteMember[]> {
    const instances = await this.redis.zrange(this.keys.instances, '0', '-1');
    const out: RemoteMember[] = [];
    for (const instance of instances) {
      if (instance === this.instance) continue;
      for (const raw of await this.redis.hvals(this.keys.members(instance))) {
        const stored = parseStored(raw);
        if (stored !== null) out.push({ info: { id: stored.id, name: stored.name, transport: stored.transport }, instance });
      }
    }
    return out;
  }

  joined(member: MemberInfo, nickKey: string | null): void {
    const write = this.redis
      .multi()
      .hset(this.keys.members(this.instance), String(member.id), this.stored(member, nickKey))
      .publish(this.keys.presence, JSON.stringify({ type: 'join', instance: this.instance, member } satisfies PresenceEvent))
      .exec();
    this.quietly(write, 'join');
  }

  renamed(member: MemberInfo, previous: string, nickKey: string | null, previousKey: string | null): void {
    const write = this.redis
      .multi()
      .hset(this.keys.members(this.instance), String(member.id), this.stored(member, nickKey))
      .publish(this.keys.presence, JSON.stringify({ type: 'nick', instance: this.instance, member, previous } satisfies PresenceEvent))
      .exec();
    this.quietly(write, 'nick');
    if (previousKey !== null) this.releaseNick(previousKey, member);
  }

  left(member: MemberInfo, nickKey: string | null, reason: string | undefined): void {
    const event: PresenceEvent = { type: 'leave', instance: this.instance, member, ...(reason === undefined ? {} : { reason }) };
    const write = this.redis.multi().hdel(this.keys.members(this.instance), String(member.id)).publish(this.keys.presence, JSON.stringify(event)).exec();
    this.quietly(write, 'leave');
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
    this.quietly(this.redis.sbReleaseNick(this.keys.nicks, nickKey, this.holder(member)), 'nick release');
  }

  /** Graceful shutdown: this instance and its members leave the room at once, not after the TTL. */
  async unregister(members: readonly { info: MemberInfo; nickKey: string | null }[]): Promise<void> {
    const pipeline = this.redis.multi().zrem(this.keys.instances, this.instance).del(this.keys.members(this.instance));
    for (const { info, nickKey } of members) if (nickKey !== null) pipeline.sbReleaseNick(this.keys.nicks, nickKey, this.holder(info));
    pipeline.publish(this.keys.presence, JSON.stringify({ type: 'gone', instance: this.instance } satisfies PresenceEvent));
    await pipeline.exec();
  }

  private async publish(event: PresenceEvent): Promise<void> {
    await this.redis.publish(this.keys.presence, JSON.stringify(event));
  }

  private holder(member: MemberInfo): string {
    return `${this.instance}:${member.id}`;
  }

  private stored(member: MemberInfo, nickKey: string | null): string {
    const stored: StoredMember = { ...member, instance: this.instance, nickKey, holder: this.holder(member) };
    return JSON.stringify(stored);
  }

  /** A presence write that failed is repaired by the next `register`; it is only logged. */
  private quietly(write: Promise<unknown>, what: string): void {
    write.catch((error: unknown) => {
      this.log.debug({ err: error }, `presence ${what} not written to Redis`);
    });
  }
}

function parseStored(raw: string): StoredMember | null {
  try {
    const value = JSON.parse(raw) as StoredMember;
    return isMemberInfo(value) ? value : null;
  } catch {
    return null;
  }
}
