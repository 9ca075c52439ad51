import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { MessageEvent, ServerEvent } from '../../shared/events.js';
import { nickKey } from '../../shared/nick.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { dropRoom, findRedis, type PrivateRedis, type RedisForTests, redisStatus, roomOn, skipUnlessRedis, startRedisServer, testPrefix } from '../test-support/redis.js';
import { freePort, startServerProcess } from '../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

const PRESENCE_TTL_S = 2;
const shared = await findRedis();
const privateRedis = await startRedisServer();

/** The default room as one instance holds it. */
function lobby(server: RunningSwitchboard) {
  return roomOn(server, '#lobby');
}

/** Whether a leave notice of `room` names `name` (alone, or in a batch). */
function leaveOf(event: ServerEvent, room: string, name: string): boolean {
  return event.type === 'notice' && event.kind === 'leave' && event.room === room && (event.member?.name === name || event.members?.some((m) => m.name === name) === true);
}

describe('an instance killed with SIGKILL', skipUnlessRedis(shared), () => {
  it(`its members leave every room within the presence TTL (${PRESENCE_TTL_S} s) + a heartbeat; a DM to them is not delivered; the others keep serving`, { timeout: 30_000 }, async (t) => {
    const { url } = shared as RedisForTests;
    const prefix = testPrefix();
    const args = ['--redis', url, '--redis-prefix', prefix, '--redis-presence-ttl', String(PRESENCE_TTL_S), '--log-level', 'warn'];
    const doomed = await startServerProcess(undefined, args);
    const survivor = await startTestServer({ redis: url, redisPrefix: prefix, redisPresenceTtl: PRESENCE_TTL_S });
    const inspect = new Redis(url);
    try {
      const victim = await LineClient.connect(doomed.ports.line);
      victim.send('/nick victim');
      await victim.waitFor('known as victim');
      victim.send('/join #ops');
      await victim.waitFor('you joined #ops');
      const page = await WsTestClient.connect(survivor.ports.http);
      page.send({ type: 'join', room: '#ops' });
      await page.waitFor((event) => event.type === 'joined' && event.room === '#ops');
      const listed = (room: string) => survivor.hub.rooms.find(room)?.list().some((member) => member.name === 'victim') === true;
      await until(() => listed('#lobby') && listed('#ops'), 'the survivor lists victim in #lobby and #ops', 5000);
      const doomedInstance = survivor.link!.remoteByNick(nickKey('victim'))!.instance;

      const killedAt = Date.now();
      doomed.child.kill('SIGKILL');
      await onceWithin(doomed.child, 'exit', 10_000);
      await until(async () => (await inspect.pubsub('NUMSUB', `${prefix}dm:${doomedInstance}`))[1] === 0, 'Redis saw the dead instance\'s subscription close', 5000);
      page.send({ type: 'msg', to: 'victim', text: 'are you there?' });
      const undelivered = await page.waitFor((event) => event.type === 'notice' && event.code === 'SB_ERR_NO_SUCH_MEMBER');
      t.diagnostic(`DM to a member of the dead instance: ${undelivered.type === 'notice' ? undelivered.text : ''}`);
      assert.ok(!page.events.some((event) => event.type === 'message' && event.text === 'are you there?'), 'not acknowledged as sent');

      await page.waitFor((event) => leaveOf(event, '#lobby', 'victim'), 10_000);
      const leave = await page.waitFor((event) => leaveOf(event, '#ops', 'victim'), 10_000);
      const took = Date.now() - killedAt;
      t.diagnostic(`leaves announced ${took} ms after the kill: ${leave.type === 'notice' ? leave.text : ''}`);
      assert.ok(took <= PRESENCE_TTL_S * 1000 + 2000, `took ${took} ms`);
      assert.equal(survivor.hub.rooms.find('#ops')?.remote.size, 0, '#ops lists nobody of the dead instance');

      const framed = await FramedClient.connect(survivor.ports.tcp);
      framed.send('still here');
      await page.waitForText('still here');
      page.say('/nick victim');
      await page.waitFor((event) => event.type === 'notice' && event.kind === 'nick' && event.member?.name === 'victim');
      await Promise.all([framed.close(), page.close()]);
    } finally {
      inspect.disconnect();
      await survivor.close();
      await doomed.stop();
      await dropRoom(url, prefix);
      if (typeof shared !== 'string') await shared.stop();
    }
  });
});

describe('Redis restarted (its data lost)', skipUnlessRedis(privateRedis), () => {
  it('instances serve their own members meanwhile, say so in /healthz, then reconnect and share the room again', { timeout: 60_000 }, async () => {
    const redis = privateRedis as PrivateRedis;
    const config = { redis: redis.url, redisPrefix: testPrefix(), redisPresenceTtl: PRESENCE_TTL_S };
    const a = await startTestServer(config);
    const b = await startTestServer(config);
    try {
      const framed = await FramedClient.connect(a.ports.tcp);
      const line = await LineClient.connect(a.ports.line);
      const page = await WsTestClient.connect(b.ports.http);
      const opsA = await FramedClient.connect(a.ports.tcp);
      opsA.send('/join #ops');
      await opsA.waitFor('you joined #ops');
      opsA.send('/topic #ops kept through the restart');
      await opsA.waitFor('set the topic of #ops');
      page.send({ type: 'join', room: '#ops' });
      await page.waitFor((event) => event.type === 'joined' && event.room === '#ops');
      framed.send('before the restart');
      await page.waitForText('before the restart');
      const epochBefore = a.link!.history.epoch;

      await redis.kill();
      await until(async () => (await redisStatus(a)) === 'down' && (await redisStatus(b)) === 'down', 'both report Redis down', 10_000);
      assert.equal((await fetch(`http://127.0.0.1:${a.ports.http}/healthz`)).status, 200, 'still healthy: serving local members');
      framed.send('during the outage, on A');
      await line.waitFor('during the outage, on A');
      const neighbour = await WsTestClient.connect(b.ports.http);
      neighbour.say('during the outage, on B');
      const local = (await page.waitForText('during the outage, on B')) as MessageEvent;
      assert.equal(local.id, 0, 'a message said during the outage is not stored: id 0');

      await redis.restart();
      await until(async () => (await redisStatus(a)) === 'up' && (await redisStatus(b)) === 'up', 'both report Redis up again', 20_000);
      const reset = await page.waitFor((event) => event.type === 'history' && event.epoch !== epochBefore, 5000);
      assert.ok(reset.type === 'history' && reset.mode === 'recent', 'the page is told the shared history started over');
      assert.equal(a.link!.history.epoch, b.link!.history.epoch, 'both instances agree on the new epoch');

      const bKnows = (transport: string) => lobby(b).list().some((member) => member.transport === transport);
      await until(() => bKnows('tcp') && bKnows('line'), 'B lists A\'s members again', 10_000);
      const inOps = (server: RunningSwitchboard, transport: string) => roomOn(server, '#ops').list().some((member) => member.transport === transport);
      await until(() => inOps(a, 'ws') && inOps(b, 'tcp'), 'each instance lists the other one\'s #ops member again', 10_000);
      const inspect = new Redis(redis.url);
      const stored = await inspect.hget(`${config.redisPrefix}rooms`, '#ops').finally(() => inspect.disconnect());
      assert.equal((JSON.parse(stored ?? '{}') as { topic?: string }).topic, 'kept through the restart', 'the topic is written to the new Redis again');
      framed.send('after the restart');
      const after = (await page.waitForText('after the restart')) as MessageEvent;
      assert.ok(after.id > 0, 'stored again');
      page.say('/who');
      const who = await page.waitForText('members of #lobby (');
      assert.match(who.type === 'notice' ? who.text : '', /\(tcp\).*\(line\)|\(line\).*\(tcp\)/, 'B lists A\'s members again');
      const metrics = await (await fetch(`http://127.0.0.1:${a.ports.http}/metrics`)).text();
      assert.match(metrics, /^switchboard_redis_reconnects_total [1-9]/m);
      await Promise.all([framed.close(), line.close(), page.close(), neighbour.close(), opsA.close()]);
    } finally {
      await a.close();
      await b.close();
      await redis.stop();
    }
  });
});

describe('start-up when Redis cannot be reached', () => {
  it('exits 1 with one fatal line saying which Redis and why, before listening', async () => {
    const port = await freePort();
    await assert.rejects(startServerProcess(undefined, ['--redis', `redis://127.0.0.1:${port}`]), /exited with 1: .*cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/);
  });
});
