import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { ServerEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { BACKOFF_MAX_MS } from './redis-connection.js';
import { dropRoom, holdsRoom, type PrivateRedis, quietFor, redisStatus, roomOn, skipUnlessRedis, startRedisServer, testPrefix } from '../test-support/redis.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';

/**
 * Finding 11 of issue 18: after a split heals (Redis back, empty, after both instances served
 * alone) the instances disagreed: two members named zed on one of them, names a resync never
 * updated, the loser's rename never written to Redis, and members who never left announced as
 * "left (gone while the shared room was unreachable)".
 */
const PRESENCE_TTL_S = 2;
const redis = await startRedisServer();

/** `id:name` of every member an instance lists in a room, sorted: two instances agree when these are equal. */
function roster(server: RunningSwitchboard, room = '#lobby'): string[] {
  return roomOn(server, room)
    .list()
    .map((member) => `${member.id}:${member.name}`)
    .sort();
}

function named(server: RunningSwitchboard, name: string): number {
  return roomOn(server, '#lobby').list().filter((member) => member.name === name).length;
}

/** Leave notices, as `ROOM: text`. */
function leaves(events: readonly ServerEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'notice' && event.kind === 'leave' ? [`${event.room ?? ''}: ${event.text}`] : []));
}


describe('a split that heals: Redis restarted empty after both instances served their members alone', skipUnlessRedis(redis), () => {
  it('ends with one zed, the same names and rooms on both instances, the loser\'s new name in Redis, and no leave for anyone who stayed', { timeout: 90_000 }, async (t) => {
    const privateRedis = redis as PrivateRedis;
    const prefix = testPrefix();
    const config = { redis: privateRedis.url, redisPrefix: prefix, redisPresenceTtl: PRESENCE_TTL_S, redisTimeout: 0.5, rateLimit: 0 };
    const a = await startTestServer(config);
    const b = await startTestServer(config);
    const inspect = new Redis(privateRedis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    inspect.on('error', () => undefined);
    try {
      const zedOnA = await LineClient.connect(a.ports.line);
      const zedOnB = await LineClient.connect(b.ports.line);
      const renamer = await FramedClient.connect(b.ports.tcp);
      const pageOnA = await WsTestClient.connect(a.ports.http);
      const pageOnB = await WsTestClient.connect(b.ports.http);
      pageOnA.send({ type: 'join', room: '#ops' });
      renamer.send('/join #ops');
      await renamer.waitFor('you joined #ops');
      await until(() => roomOn(a, '#lobby').remote.size === 3 && roomOn(b, '#lobby').remote.size === 2, 'each instance lists the other one\'s members', 5000);
      await until(() => holdsRoom(a, '#ops') && roomOn(a, '#ops').count === 2 && holdsRoom(b, '#ops') && roomOn(b, '#ops').count === 2, 'each instance lists both members of #ops', 5000);

      await privateRedis.kill();
      await until(async () => (await redisStatus(a)) === 'down' && (await redisStatus(b)) === 'down', 'both instances report Redis down', 10_000);
      zedOnA.send('/nick zed');
      await zedOnA.waitFor('known as zed');
      zedOnB.send('/nick zed');
      await zedOnB.waitFor('known as zed');
      renamer.send('/nick renamed-in-split');
      await renamer.waitFor('known as renamed-in-split');
      // Rooms change during the split too: one member leaves #ops on B, one joins it on A.
      renamer.send('/part #ops');
      await renamer.waitFor('you left #ops');
      zedOnA.send('/join #ops');
      await zedOnA.waitFor('you joined #ops');

      await privateRedis.restart();
      await until(async () => (await redisStatus(a)) === 'up' && (await redisStatus(b)) === 'up', 'both instances report Redis up again', 20_000);
      const upAt = Date.now();
      await until(
        () => named(a, 'zed') === 1 && named(b, 'zed') === 1 && roster(a).join() === roster(b).join(),
        'both instances list one zed and agree on every name',
        3000,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nA: ${roster(a).join(', ')}\nB: ${roster(b).join(', ')}`);
      });
      t.diagnostic(`names agreed ${Date.now() - upAt} ms after both reported up`);
      assert.ok(roster(a).some((entry) => entry.endsWith(':renamed-in-split')), 'A learnt the name taken on B during the split');
      await until(() => roster(a, '#ops').join() === roster(b, '#ops').join() && roster(a, '#ops').length === 2, 'both instances list the same two members in #ops', 3000).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nA: ${roster(a, '#ops').join(', ')}\nB: ${roster(b, '#ops').join(', ')}`);
      });
      assert.ok(!roster(a, '#ops').some((entry) => entry.endsWith(':renamed-in-split')), 'A learnt the part made on B during the split');
      await pageOnA.waitFor((event) => event.type === 'notice' && event.kind === 'leave' && event.room === '#ops' && event.member?.name === 'renamed-in-split');

      const told = (client: LineClient) => client.received.some((payload) => payload.includes('was taken on another instance'));
      await until(() => told(zedOnA) || told(zedOnB), 'the member who lost zed is told', 3000);
      assert.ok(!(told(zedOnA) && told(zedOnB)), 'only one of them lost it');
      const [loserServer] = told(zedOnA) ? [a] : [b];
      const loser = loserServer.hub.cluster.localMembers().find((member) => member.info.transport === 'line')!;
      assert.notEqual(loser.info.name, 'zed');
      await inspect.connect();
      const stored = await inspect.hget(`${prefix}members:${loserServer.link!.instance}`, String(loser.info.id));
      assert.equal((JSON.parse(stored ?? '{}') as { name?: string }).name, loser.info.name, 'the loser\'s new name is written to Redis');

      // Long enough for any delayed leave: the grace (TTL + the longest reconnect delay) and a heartbeat.
      await quietFor(PRESENCE_TTL_S * 1000 + BACKOFF_MAX_MS + 1500);
      const falseLeaves = [...leaves(pageOnA.events), ...leaves(pageOnB.events)].filter((leave) => leave !== '#ops: renamed-in-split left');
      assert.deepEqual(falseLeaves, [], 'nobody who stayed was announced as leaving (the one part of #ops was real)');
      assert.equal(roster(a, '#ops').join(), roster(b, '#ops').join(), 'the instances still agree on #ops');
      assert.equal(roster(a).length, 5, 'all five members are still listed');
      assert.equal(roster(a).join(), roster(b).join(), 'and the instances still agree');
      await Promise.all([zedOnA.close(), zedOnB.close(), renamer.close(), pageOnA.close(), pageOnB.close()]);
    } finally {
      inspect.disconnect();
      await a.close();
      await b.close();
      await dropRoom(privateRedis.url, prefix);
      await privateRedis.stop();
    }
  });
});
