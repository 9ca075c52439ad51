/**
 * Every Redis key and channel one shared room uses, under one prefix (`--redis-prefix`), so
 * several rooms (or test runs) can share a Redis without seeing each other.
 */
export interface RedisKeys {
  /** Stream of chat lines: entry id `N-0` where N is the message id. */
  log: string;
  /** Counter behind message ids. */
  seq: string;
  /** Random name of the current history; a new one when Redis lost its data. */
  epoch: string;
  /** Counter behind instance numbers (and so member id ranges). */
  instanceSeq: string;
  /** Sorted set: instance → time (ms, Redis clock) its presence expires. */
  instances: string;
  /** Hash per instance: member id → member JSON. */
  members: (instance: string) => string;
  /** Hash: nick key → `instance:memberId` of its holder. */
  nicks: string;
  /** Pub/sub channel of presence events. */
  presence: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    log: `${prefix}log`,
    seq: `${prefix}seq`,
    epoch: `${prefix}epoch`,
    instanceSeq: `${prefix}instance-seq`,
    instances: `${prefix}instances`,
    members: (instance) => `${prefix}members:${instance}`,
    nicks: `${prefix}nicks`,
    presence: `${prefix}presence`,
  };
}
