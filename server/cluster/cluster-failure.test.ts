import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import type { MessageEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { dropRoom, findRedis, type PrivateRedis, type RedisForTests, skipUnlessRedis, startRedisServer, testPrefix } from '../test-support/redis.js';
import { freePort, startServerProcess } from '../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';

const PRESENCE_TTL_S = 2;
const shared = await findRedis();
const privateRedis = await startRedisServer();


async function redisStatus(server: RunningSwitchboard): Promise<string | undefined> {
  const health = (await (await fetch(`http://127.0.0.1:${server.ports.http}/healthz`)).json()) as { redis?: { status: string } };
  return health.redis?.status;
}

describe('an instance killed with SIGKILL', skipUnlessRedis(shared), () => {
  it(`its members are announced as leaving within the presence TTL (${PRESENCE_TTL_S} s) + a heartbeat; the others keep serving`, { timeout: 30_000 }, async (t) => {
    const { url } = shared as RedisForTests;
    const prefix = testPrefix();
    const args = ['--redis', url, '--redis-prefix', prefix, '--redis-presence-ttl', String(PRESENCE_TTL_S), '--log-level', 'warn'];
    const doomed = await startServerProcess(undefined, args);
    const survivor = await startTestServer({ redis: url, redisPrefix: prefix, redisPresenceTtl: PRESENCE_TTL_S });
    try {
      const victim = await LineClient.connect(doomed.ports.line);
      victim.send('/nick victim');
      await victim.waitFor('known as victim');
      const page = await WsTestClient.connect(survivor.ports.http);
      await until(() => survivor.room.list().some((member) => member.name === 'victim'), 'the survivor lists victim', 5000);

      const killedAt = Date.now();
      doomed.child.kill('SIGKILL');
      await once(doomed.child, 'exit');
      const leave = await page.waitFor((event) => event.type === 'notice' && event.kind === 'leave', 10_000);
      const took = Date.now() - killedAt;
      t.diagnostic(`leave announced ${took} ms after the kill: ${leave.type === 'notice' ? leave.text : ''}`);
      assert.ok(leave.type === 'notice' && (leave.member?.name === 'victim' || leave.members?.some((m) => m.name === 'victim')));
      assert.ok(took <= PRESENCE_TTL_S * 1000 + 2000, `took ${took} ms`);

      const framed = await FramedClient.connect(survivor.ports.tcp);
      framed.send('still here');
      await page.waitForText('still here');
      page.say('/nick victim');
      await page.waitFor((event) => event.type === 'notice' && event.kind === 'nick' && event.member?.name === 'victim');
      await Promise.all([framed.close(), page.close()]);
    } finally {
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

      const bKnows = (transport: string) => b.room.list().some((member) => member.transport === transport);
      await until(() => bKnows('tcp') && bKnows('line'), 'B lists A\'s members again', 10_000);
      framed.send('after the restart');
      const after = (await page.waitForText('after the restart')) as MessageEvent;
      assert.ok(after.id > 0, 'stored again');
      page.say('/who');
      const who = await page.waitForText('members (');
      assert.match(who.type === 'notice' ? who.text : '', /\(tcp\).*\(line\)|\(line\).*\(tcp\)/, 'B lists A\'s members again');
      const metrics = await (await fetch(`http://127.0.0.1:${a.ports.http}/metrics`)).text();
      assert.match(metrics, /^switchboard_redis_reconnects_total [1-9]/m);
      await Promise.all([framed.close(), line.close(), page.close(), neighbour.close()]);
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
