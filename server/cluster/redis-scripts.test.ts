import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { type RedisKeys, redisKeys } from './redis-keys.js';
import { defineScripts } from './redis-scripts.js';
import { dropRoom, type PrivateRedis, skipUnlessRedis, startRedisServer, testPrefix } from '../test-support/redis.js';
import { until } from '../test-support/until.js';

/**
 * The scripts against a real Redis frozen with SIGSTOP: what a Redis that wakes up runs from
 * before its freeze must not store stale lines (finding 10) nor reap every instance (finding 11).
 */
const TTL_MS = 1000;
const STALL_MS = String(TTL_MS / 2);
const ALLOWANCE = 1500;
const ALLOWANCE_MS = String(ALLOWANCE);
const redis = await startRedisServer();

function redisNow(client: Redis): Promise<number> {
  return client.time().then(([seconds, micros]) => Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));
}

describe('the scale-out scripts when Redis freezes', skipUnlessRedis(redis), () => {
  let client: Redis;
  let keys: RedisKeys;
  let prefix: string;
  before(async () => {
    prefix = testPrefix();
    keys = redisKeys(prefix);
    client = new Redis((redis as PrivateRedis).url, { maxRetriesPerRequest: 0 });
    defineScripts(client);
  });
  after(async () => {
    client.disconnect();
    if (typeof redis !== 'string') {
      await dropRoom(redis.url, prefix);
      await redis.stop();
    }
  });

  it('a publish sent before a freeze and run after its deadline stores nothing and returns 0', async () => {
    const frozen = redis as PrivateRedis;
    const deadline = (await redisNow(client)) + 200;
    frozen.freeze();
    const answer = client.sbPublish(keys.seq, keys.log, '0', String(deadline), JSON.stringify({ text: 'stale' }));
    await new Promise((resolve) => setTimeout(resolve, 600));
    frozen.thaw();
    assert.equal(await answer, 0, 'refused: Redis ran it after the deadline');
    assert.equal(await client.xlen(keys.log), 0, 'nothing in the stream');
    assert.equal(await client.sbPublish(keys.seq, keys.log, '0', String((await redisNow(client)) + 5000), '{}'), 1, 'in time: stored with the first id');
    assert.equal(await client.sbPublish(keys.seq, keys.log, '0', '0', '{}'), 2, 'deadline 0: none');
  });

  it('a freeze longer than the TTL reaps no instance, nor one that comes back within the allowance after it; a real silence past the TTL still reaps', async () => {
    const frozen = redis as PrivateRedis;
    const beat = (instance: string) => client.sbHeartbeat(keys.instances, keys.lastBeat, instance, String(TTL_MS), STALL_MS, ALLOWANCE_MS);
    const reap = () => client.sbReap(keys.instances, keys.nicks, keys.lastBeat, keys.members(''), keys.presence, STALL_MS, ALLOWANCE_MS);
    const registered = async () => (await client.zrange(keys.instances, '0', '-1')).sort().join();
    await beat('i1');
    await beat('i2');
    frozen.freeze();
    // Queued while frozen, as a reap sent just before the freeze would be: it runs first on waking.
    const staleReap = reap();
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    frozen.thaw();
    assert.equal(await staleReap, 0, 'nobody reaped for Redis\'s own silence');
    assert.equal(await registered(), 'i1,i2');

    // i1 comes back at once and keeps beating and reaping; i2 is still waiting to reconnect.
    const thawedAt = Date.now();
    await until(
      async () => {
        await beat('i1');
        await reap();
        return Date.now() - thawedAt > TTL_MS * 1.5;
      },
      'i1 beat and reaped for 1.5 TTL',
      TTL_MS * 5,
    );
    assert.equal(await registered(), 'i1,i2', 'i2, back later than the TTL but within the allowance, was not reaped');

    // i2 never comes back: it is reaped once the TTL and the allowance have passed.
    await until(
      async () => {
        await beat('i1');
        await reap();
        return (await registered()) === 'i1';
      },
      'the silent instance i2 is reaped',
      (TTL_MS + ALLOWANCE) * 3,
    );
    assert.ok(Date.now() - thawedAt >= TTL_MS + ALLOWANCE - 300, 'not before the TTL and the allowance');

    // Without a stall a silent instance gets the TTL alone.
    await beat('i3');
    const silentSince = Date.now();
    await until(
      async () => {
        await beat('i1');
        await reap();
        return (await registered()) === 'i1';
      },
      'the silent instance i3 is reaped',
      TTL_MS * 5,
    );
    const took = Date.now() - silentSince;
    assert.ok(took >= TTL_MS * 0.9 && took < TTL_MS + ALLOWANCE, `reaped after ${took} ms: its TTL, no allowance`);
  });

  it('a heartbeat sent before a freeze and run after it does not take back the allowance of its instance, still reconnecting', async () => {
    const frozen = redis as PrivateRedis;
    const beatOn = (on: Redis, instance: string) => on.sbHeartbeat(keys.instances, keys.lastBeat, instance, String(TTL_MS), STALL_MS, ALLOWANCE_MS);
    const reap = () => client.sbReap(keys.instances, keys.nicks, keys.lastBeat, keys.members(''), keys.presence, STALL_MS, ALLOWANCE_MS);
    const registered = async () => (await client.zrange(keys.instances, '0', '-1')).sort().join();
    // i5's own connection, which it gives up on during the freeze (as a socket timeout does).
    const i5 = new Redis((redis as PrivateRedis).url, { maxRetriesPerRequest: 0 });
    defineScripts(i5);
    try {
      await client.del(keys.instances);
      await beatOn(client, 'i4');
      await beatOn(i5, 'i5');
      frozen.freeze();
      const stale = beatOn(i5, 'i5').catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
      i5.disconnect();
      await stale;
      frozen.thaw();
      // The stale beat of i5 runs first on waking; i4 comes back at once and beats and reaps for 1.5 TTL.
      const thawedAt = Date.now();
      await until(
        async () => {
          await beatOn(client, 'i4');
          await reap();
          return Date.now() - thawedAt > TTL_MS * 1.5;
        },
        'i4 beat and reaped for 1.5 TTL',
        TTL_MS * 5,
      );
      assert.equal(await registered(), 'i4,i5', 'i5 keeps the allowance after the stall although its stale beat ran after the shift');
    } finally {
      i5.disconnect();
      await client.zrem(keys.instances, 'i4', 'i5');
    }
  });
});
