import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { dropRoom, findRedis, type RedisForTests, skipUnlessRedis, testPrefix } from '../test-support/redis.js';
import { LineClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { WebhookReceiver } from '../test-support/webhook-receiver.js';

const redis = await findRedis();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * With `--redis` every instance sees every message of a shared room. Two instances started with the
 * same `--webhook` flags must post each message once: the one its sender is on posts it.
 */
describe('webhooks with two instances sharing the rooms through Redis', skipUnlessRedis(redis), () => {
  let a: RunningSwitchboard;
  let b: RunningSwitchboard;
  const receiver = new WebhookReceiver();
  const prefix = testPrefix();
  before(async () => {
    const url = await receiver.start();
    const shared = { redis: (redis as RedisForTests).url, redisPrefix: prefix, redisPresenceTtl: 2, presenceDelay: 0, webhooks: [`#lobby=${url}`] };
    a = await startTestServer(shared);
    b = await startTestServer(shared);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await receiver.stop();
    if (typeof redis !== 'string') {
      await dropRoom(redis.url, prefix);
      await redis.stop();
    }
  });

  it('posts each message once, from the instance its sender is on', async () => {
    const onA = await LineClient.connect(a.ports.line);
    const onB = await LineClient.connect(b.ports.line);
    onA.send('said on A');
    onB.send('said on B');
    await onA.waitFor('said on B');
    await onB.waitFor('said on A');
    await until(() => receiver.received.length >= 2, 'both messages were posted', 5000);
    // A duplicate would come from the other instance's queue, as fast as the first: give it time.
    await sleep(500);
    assert.deepEqual(receiver.received.map((hook) => (JSON.parse(hook.body) as { text: string }).text).sort(), ['said on A', 'said on B']);
    await Promise.all([onA.close(), onB.close()]);
  });
});
