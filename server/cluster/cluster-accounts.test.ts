import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { RunningSwitchboard } from '../switchboard.js';
import { dropRoom, findRedis, type RedisForTests, skipUnlessRedis, testPrefix } from '../test-support/redis.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';

/**
 * `--accounts` with `--redis`: accounts are one hash in Redis, so a name registered through one
 * instance is refused to guests and can be logged into on every instance, two instances cannot
 * both register one name, and an instance started later knows the accounts made before it.
 */
const redis = await findRedis();
const PASSWORD = 'correct horse battery';

describe('accounts shared through Redis', skipUnlessRedis(redis), () => {
  let a: RunningSwitchboard;
  let b: RunningSwitchboard;
  const started: RunningSwitchboard[] = [];
  const prefix = testPrefix();
  const config = () => ({ redis: (redis as RedisForTests).url, redisPrefix: prefix, redisPresenceTtl: 2, rateLimit: 0, presenceDelay: 0, accounts: true });
  before(async () => {
    a = await startTestServer(config());
    b = await startTestServer(config());
    started.push(a, b);
  });
  after(async () => {
    for (const server of started) await server.close();
    if (typeof redis !== 'string') {
      await dropRoom(redis.url, prefix);
      await redis.stop();
    }
  });

  it('registered on A: refused to a guest on B, logged into on B once A\'s connection is gone', async () => {
    const ada = await FramedClient.open(a.ports.tcp);
    await ada.waitFor('welcome to');
    ada.send(`/register ada ${PASSWORD}`);
    await ada.waitFor('registered ada');
    const inspect = new Redis((redis as RedisForTests).url);
    try {
      const stored = JSON.parse((await inspect.hget(`${prefix}accounts`, 'ada')) ?? '{}') as { name?: string; hash?: string };
      assert.equal(stored.name, 'ada');
      assert.match(stored.hash ?? '', /^\$scrypt\$/, 'only the scrypt hash is stored');
      assert.ok(!JSON.stringify(stored).includes(PASSWORD), 'never the password');
    } finally {
      inspect.disconnect();
    }

    const guest = await LineClient.open(b.ports.line);
    await guest.waitFor('welcome to');
    guest.send('/nick ada');
    await guest.waitFor('nickname refused: ada is a registered account');
    guest.send(`/register ADA ${PASSWORD}`);
    await guest.waitFor('cannot register ADA: it is an account already');
    guest.send('/login ada wrong password');
    await guest.waitFor('login failed');
    await ada.close();
    guest.send(`/login ada ${PASSWORD}`);
    await guest.waitFor('you are logged in as ada');
    await guest.close();
  });

  it('one name registered through both instances at once goes to one of them', async () => {
    const [onA, onB] = await Promise.all([FramedClient.open(a.ports.tcp), FramedClient.open(b.ports.tcp)]);
    await Promise.all([onA.waitFor('welcome to'), onB.waitFor('welcome to')]);
    onA.send(`/register zoe ${PASSWORD}`);
    onB.send(`/register zoe ${PASSWORD}`);
    const outcome = (client: FramedClient) => client.waitFor(/registered zoe|cannot register zoe/, 10_000);
    const [fromA, fromB] = await Promise.all([outcome(onA), outcome(onB)]);
    const won = [fromA, fromB].filter((text) => /registered zoe/.test(text) && !/cannot/.test(text));
    assert.equal(won.length, 1, `one registration wins: ${fromA} / ${fromB}`);
    await Promise.all([onA.close(), onB.close()]);
  });

  it('an instance started later knows the accounts registered before it', async () => {
    const c = await startTestServer(config());
    started.push(c);
    const guest = await FramedClient.open(c.ports.tcp);
    await guest.waitFor('welcome to');
    guest.send('/nick zoe');
    await guest.waitFor('nickname refused: zoe is a registered account');
    guest.send(`/login zoe ${PASSWORD}`);
    await guest.waitFor('you are logged in as zoe');
    await guest.close();
  });
});
