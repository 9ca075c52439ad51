import type { Redis, Result } from 'ioredis';

/**
 * The Lua scripts of the scaled-out server. Each runs atomically in Redis, which is what makes ids
 * (one sequence for every room), nickname claims and the removal of a dead instance safe when
 * several instances race.
 * They touch keys built from a prefix inside the script (members of an instance), so they are
 * for a single Redis (or a primary with replicas), not Redis Cluster.
 */

/**
 * INCR the id, append the message (of any room: its JSON names the room) as stream entry `ID-0`,
 * trimmed to about MAXLEN (0: keep all).
 * ARGV[2] is a deadline on Redis's clock (0: none): a publish that runs after it returns 0 and
 * stores nothing. A frozen Redis runs what it was sent once it wakes up; by then the instance has
 * given up on the line and shown it to its own members with id 0 ("not stored"), so storing it
 * late would deliver it elsewhere seconds late and make that id 0 a lie.
 */
const PUBLISH = `
if tonumber(ARGV[2]) > 0 then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[2]) then return 0 end
end
local id = redis.call('INCR', KEYS[1])
if ARGV[1] == '0' then
  redis.call('XADD', KEYS[2], id .. '-0', 'm', ARGV[3])
else
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', 'm', ARGV[3])
end
return id`;

/**
 * The current history epoch; a missing one (new or emptied Redis) becomes the candidate. The
 * instance counter is raised to at least this instance's number, so an instance started after
 * Redis lost its data cannot be given a number (and member ids) already in use.
 */
const EPOCH = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
if n < tonumber(ARGV[2]) then redis.call('SET', KEYS[2], ARGV[2]) end
return redis.call('GET', KEYS[1])`;

/** Redis's own clock, so instances with skewed clocks agree on who expired. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * A gap of more than the stall limit since anyone's last heartbeat means nobody could reach Redis
 * (Redis itself was frozen or cut off from every instance), not that every instance died: each
 * instance's expiry moves on by the gap, so the first reap after a Redis stall longer than the TTL
 * does not drop every instance and its nickname claims at once. It moves on by the allowance too:
 * the instances come back one by one, each after its reconnection delay (up to 5 s), and one that
 * is still waiting to reconnect when another one reaps is not dead.
 */
function stallShift(instances: string, lastBeat: string, stallMs: string, allowanceMs: string): string {
  return `
local last = tonumber(redis.call('GET', ${lastBeat}) or '0')
if last > 0 and now - last > tonumber(${stallMs}) then
  local shift = (now - last) + tonumber(${allowanceMs})
  local all = redis.call('ZRANGE', ${instances}, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do redis.call('ZADD', ${instances}, tonumber(all[i + 1]) + shift, all[i]) end
end
redis.call('SET', ${lastBeat}, now)`;
}

/**
 * Extends this instance's presence. Returns [1 if it was not registered (new, or reaped), Redis's
 * time in ms] (the time lets the instance estimate Redis's clock for publish deadlines).
 * It never shortens an expiry: a heartbeat sent just before a freeze, on a connection the instance
 * has since given up on, runs when Redis wakes up, after the stall shift; setting now + TTL then
 * would take back the allowance its instance needs to reconnect, and it would be reaped.
 */
const HEARTBEAT = `${NOW}${stallShift('KEYS[1]', 'KEYS[2]', 'ARGV[3]', 'ARGV[4]')}
local expiry = now + tonumber(ARGV[2])
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current and tonumber(current) >= expiry then return { 0, now } end
return { redis.call('ZADD', KEYS[1], expiry, ARGV[1]), now }`;

/**
 * Removes every instance whose presence expired: its member hash, the nicknames they held, its
 * entry; then tells every instance. Only one instance's call finds a given dead instance.
 */
const REAP = `${NOW}${stallShift('KEYS[1]', 'KEYS[3]', 'ARGV[3]', 'ARGV[4]')}
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, iid in ipairs(dead) do
  local key = ARGV[1] .. iid
  for _, raw in ipairs(redis.call('HVALS', key)) do
    local ok, m = pcall(cjson.decode, raw)
    if ok and type(m.nickKey) == 'string' and redis.call('HGET', KEYS[2], m.nickKey) == m.holder then
      redis.call('HDEL', KEYS[2], m.nickKey)
    end
  end
  redis.call('DEL', key)
  redis.call('ZREM', KEYS[1], iid)
  redis.call('PUBLISH', ARGV[2], cjson.encode({ type = 'gone', instance = iid }))
end
return #dead`;

/**
 * Claims a nickname for HOLDER (\`instance:memberId\`). Taken only if held by someone else who is
 * still there: a holder whose instance or member entry is gone left a stale claim, taken over.
 */
const CLAIM_NICK = `
local h = redis.call('HGET', KEYS[1], ARGV[1])
if h and h ~= ARGV[2] then
  local iid, mid = string.match(h, '^(.*):(%d+)$')
  if iid and redis.call('ZSCORE', KEYS[2], iid) and redis.call('HEXISTS', ARGV[3] .. iid, mid) == 1 then
    return 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** Releases a nickname only if HOLDER still holds it. */
const RELEASE_NICK = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    sbPublish(seq: string, log: string, maxLen: string, deadline: string, json: string): Result<number, Context>;
    sbEpoch(epochKey: string, instanceSeq: string, candidate: string, instanceNumber: string): Result<string, Context>;
    sbHeartbeat(instances: string, lastBeat: string, instance: string, ttlMs: string, stallMs: string, allowanceMs: string): Result<[number, number], Context>;
    sbReap(instances: string, nicks: string, lastBeat: string, membersPrefix: string, channel: string, stallMs: string, allowanceMs: string): Result<number, Context>;
    sbClaimNick(nicks: string, instances: string, nickKey: string, holder: string, membersPrefix: string): Result<number, Context>;
    sbReleaseNick(nicks: string, nickKey: string, holder: string): Result<number, Context>;
  }
}

/** Registers the scripts on a client (sent once, then called by SHA). */
export function defineScripts(redis: Redis): void {
  redis.defineCommand('sbPublish', { numberOfKeys: 2, lua: PUBLISH });
  redis.defineCommand('sbEpoch', { numberOfKeys: 2, lua: EPOCH });
  redis.defineCommand('sbHeartbeat', { numberOfKeys: 2, lua: HEARTBEAT });
  redis.defineCommand('sbReap', { numberOfKeys: 3, lua: REAP });
  redis.defineCommand('sbClaimNick', { numberOfKeys: 2, lua: CLAIM_NICK });
  redis.defineCommand('sbReleaseNick', { numberOfKeys: 1, lua: RELEASE_NICK });
}
