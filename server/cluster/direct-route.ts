import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SharedDirect } from '../hub/cluster-link.js';
import type { RedisKeys } from './redis-keys.js';
import { isMemberInfo, memberOf, parseJson } from './wire-values.js';

/**
 * Direct messages between instances: each instance subscribes to a channel of its own
 * (`PREFIX dm:INSTANCE`), and a message for a member of another instance is published there, so
 * only the instance holding the recipient reads it. Never stored, like a direct message on one
 * instance. PUBLISH says how many subscribers got it: none means the recipient's instance is not
 * listening (gone, or cut off from Redis), and the sender is told it was not delivered.
 */
export class DirectRoute {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
  ) {}

  /** The channel this instance reads its members' direct messages from. */
  channelOf(instance: string): string {
    return this.keys.direct(instance);
  }

  /** True once the recipient's instance received it; false if it could not be handed over. */
  async send(direct: SharedDirect, instance: string): Promise<boolean> {
    const wire: SharedDirect = { to: memberOf(direct.to), from: memberOf(direct.from), kind: direct.kind, text: direct.text, time: direct.time };
    try {
      return (await this.redis.publish(this.keys.direct(instance), JSON.stringify(wire))) > 0;
    } catch (error) {
      this.log.debug({ err: error, instance }, 'direct message not handed to Redis');
      return false;
    }
  }
}

/** One direct message as read from this instance's channel, or null if malformed. */
export function parseDirect(raw: string): SharedDirect | null {
  const value = parseJson(raw) as Partial<Record<string, unknown>> | undefined;
  if (typeof value !== 'object' || value === null) return null;
  const { to, from, kind, text, time } = value;
  if (!isMemberInfo(to) || !isMemberInfo(from) || (kind !== 'chat' && kind !== 'action') || typeof text !== 'string' || typeof time !== 'number') return null;
  return { to: memberOf(to), from: memberOf(from), kind, text, time };
}
