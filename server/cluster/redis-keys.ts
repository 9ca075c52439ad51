/**
 * Every Redis key and channel one scaled-out server uses, under one prefix (`--redis-prefix`), so
 * several servers (or test runs) can share a Redis without seeing each other. Nothing is named
 * after a room: the number of keys does not grow with the number of rooms (see docs/scale-out.md,
 * "Key layout").
 */
export interface RedisKeys {
  /** Stream of chat lines of every room: entry id `N-0` where N is the message id. */
  log: string;
  /** Counter behind message ids: one sequence for the whole server, across rooms. */
  seq: string;
  /** Random name of the current history; a new one when Redis lost its data. */
  epoch: string;
  /** Counter behind instance numbers (and so member id ranges). */
  instanceSeq: string;
  /** Sorted set: instance → time (ms, Redis clock) its presence expires. */
  instances: string;
  /** Redis time (ms) of the last heartbeat or reap by any instance: a long gap means Redis stalled. */
  lastBeat: string;
  /** Hash per instance: member id → member JSON (with the rooms it is in). */
  members: (instance: string) => string;
  /** Hash: nick key → `instance:memberId` of its holder. */
  nicks: string;
  /** Hash: room key → `{"name","topic"}`: what every instance shows for a room. */
  rooms: string;
  /** Hash: room key → its moderation (operators, bans, mutes, locks) as JSON, the record every instance reads. */
  moderation: string;
  /** Hash: account name key → `{name,hash,created}` (`--accounts`): registered with HSETNX, first wins. */
  accounts: string;
  /** Pub/sub channel of presence, topic and moderation events. */
  presence: string;
  /** Pub/sub channel per instance: the direct messages for its members. */
  direct: (instance: string) => string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    log: `${prefix}log`,
    seq: `${prefix}seq`,
    epoch: `${prefix}epoch`,
    instanceSeq: `${prefix}instance-seq`,
    instances: `${prefix}instances`,
    lastBeat: `${prefix}last-beat`,
    members: (instance) => `${prefix}members:${instance}`,
    nicks: `${prefix}nicks`,
    rooms: `${prefix}rooms`,
    moderation: `${prefix}moderation`,
    accounts: `${prefix}accounts`,
    presence: `${prefix}presence`,
    direct: (instance) => `${prefix}dm:${instance}`,
  };
}
