import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { RunningSwitchboard } from '../switchboard.js';
import { dropRoom, findRedis, listsMember, type RedisForTests, roomOn, skipUnlessRedis, testPrefix } from '../test-support/redis.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';

/**
 * The server password with `--redis`: a connection that has not given it is nobody to the other
 * instances either (no member entry in Redis, no name claimed, no join announced), and a wrong one
 * stays local. Once given, the member is shared like any other.
 */
const redis = await findRedis();
const SECRET = 'shared secret';

describe('server password across instances (--password with --redis)', skipUnlessRedis(redis), () => {
  let a: RunningSwitchboard;
  let b: RunningSwitchboard;
  let inspect: Redis;
  const prefix = testPrefix();
  before(async () => {
    const config = { redis: (redis as RedisForTests).url, redisPrefix: prefix, redisPresenceTtl: 2, rateLimit: 0, presenceDelay: 0, password: SECRET };
    a = await startTestServer(config);
    b = await startTestServer(config);
    inspect = new Redis((redis as RedisForTests).url);
  });
  after(async () => {
    inspect.disconnect();
    await a?.close();
    await b?.close();
    if (typeof redis !== 'string') {
      await dropRoom(redis.url, prefix);
      await redis.stop();
    }
  });

  it('a connection waiting for the password is not in Redis and not announced on B; after /pass it is', async () => {
    const watcher = await FramedClient.open(b.ports.tcp);
    watcher.send(`/pass ${SECRET}`);
    await watcher.waitFor('welcome to');
    const waiting = await LineClient.open(a.ports.line);
    await waiting.waitFor(/needs a password/);
    waiting.send('/nick sneaky');
    // The first message must be the password: anything else is refused and closes the connection.
    await waiting.waitFor(/password/);
    await waiting.closed;
    const members = await inspect.hgetall(`${prefix}members:${a.link!.instance}`);
    assert.deepEqual(Object.values(members).filter((entry) => entry.includes('sneaky')), [], 'no member entry for a connection that never gave the password');
    assert.equal(await inspect.hexists(`${prefix}nicks`, 'sneaky'), 0, 'no nickname claimed');
    assert.equal(roomOn(b, '#lobby').remote.size, 0, 'B lists nobody of A');
    assert.ok(!watcher.received.some((payload) => payload.includes('joined')), `B announced nobody: ${JSON.stringify(watcher.received)}`);

    const wrong = await FramedClient.open(a.ports.tcp);
    wrong.send('/pass not it');
    await wrong.waitFor(/wrong password/);
    await wrong.closed;
    assert.equal(roomOn(b, '#lobby').remote.size, 0, 'a wrong password is not announced either');

    const member = await FramedClient.open(a.ports.tcp);
    member.send(`/pass ${SECRET}`);
    await member.waitFor('welcome to');
    member.send('/nick trusted');
    await member.waitFor('known as trusted');
    await until(() => listsMember(b, '#lobby', 'trusted'), 'B lists the member of A once it gave the password');
    await watcher.waitFor('trusted');
    member.send('hello across');
    await watcher.waitFor('hello across');
    await Promise.all([watcher.close(), member.close()]);
  });
});
