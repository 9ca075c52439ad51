import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropRoom, type PrivateRedis, redisStatus, roomOn, skipUnlessRedis, startRedisServer, testPrefix, listsMember } from '../test-support/redis.js';
import { FramedClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';

/**
 * A moderation change made while Redis was unreachable is not lost: the instance that made it
 * writes it when Redis is back (here, back empty), and the other instance reads it and applies it.
 */
const redis = await startRedisServer();

describe('moderation across a split', skipUnlessRedis(redis), () => {
  it('a mute set on A while Redis is down applies on B once Redis is back (empty)', { timeout: 60_000 }, async () => {
    const privateRedis = redis as PrivateRedis;
    const prefix = testPrefix();
    const config = { redis: privateRedis.url, redisPrefix: prefix, redisPresenceTtl: 2, redisTimeout: 0.5, rateLimit: 0, presenceDelay: 0 };
    const a = await startTestServer(config);
    const b = await startTestServer(config);
    try {
      const ada = await FramedClient.connect(a.ports.tcp);
      ada.send('/nick ada');
      await ada.waitFor('known as ada');
      ada.send('/join #split');
      await ada.waitFor('you joined #split');
      const bob = await FramedClient.connect(b.ports.tcp);
      bob.send('/nick bob');
      await bob.waitFor('known as bob');
      bob.send('/join #split');
      await bob.waitFor('you joined #split');
      await until(() => listsMember(a, '#split', 'bob'), 'A lists bob in #split', 5000);
      assert.ok(roomOn(b, '#split').moderation.isOp('ada'), 'B knows ada founded #split');

      await privateRedis.kill();
      await until(async () => (await redisStatus(a)) === 'down' && (await redisStatus(b)) === 'down', 'both instances report Redis down', 10_000);
      ada.send('/mute bob');
      await ada.waitFor('muted bob');
      assert.ok(!roomOn(b, '#split').moderation.isMuted('bob'), 'B cannot know yet');

      await privateRedis.restart();
      await until(() => roomOn(b, '#split').moderation.isMuted('bob'), 'B applies the mute A set during the split', 20_000);
      assert.ok(roomOn(b, '#split').moderation.isOp('ada'), 'and still has ada as operator (A wrote its whole state)');
      bob.send('muted?');
      assert.match(await bob.waitFor('cannot speak'), /an operator muted you/);
      await Promise.all([ada.close(), bob.close()]);
    } finally {
      await a.close();
      await b.close();
      await dropRoom(privateRedis.url, prefix);
      await privateRedis.stop();
    }
  });
});
