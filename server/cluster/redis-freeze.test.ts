import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageEvent, ServerEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { dropRoom, type PrivateRedis, quietFor, roomOn, skipUnlessRedis, startRedisServer, testPrefix } from '../test-support/redis.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';

/**
 * Finding 10 of issue 18: a frozen Redis (SIGSTOP: connections stay open, nothing answers) used to
 * stop all delivery, even between two members of one instance, while /healthz said "up".
 */
const PRESENCE_TTL_S = 2;
const TIMEOUT_S = 0.5;
/** Longer than the presence TTL, so a Redis that wakes up finds every instance's presence expired. */
const FREEZE_MS = 6000;
const LINES = 5;
const redis = await startRedisServer();

async function health(server: RunningSwitchboard): Promise<string | undefined> {
  const body = (await (await fetch(`http://127.0.0.1:${server.ports.http}/healthz`)).json()) as { redis?: { status: string } };
  return body.redis?.status;
}

async function redisUpMetric(server: RunningSwitchboard): Promise<string | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  return /^switchboard_redis_up (\d)$/m.exec(text)?.[1];
}

/** Texts of the chat lines a page got, in arrival order, whose text starts with `prefix`. */
function pageLines(events: readonly ServerEvent[], prefix: string): MessageEvent[] {
  return events.filter((event): event is MessageEvent => event.type === 'message' && event.text.startsWith(prefix));
}

function leaves(events: readonly ServerEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'notice' && event.kind === 'leave' ? [event.text] : []));
}

/** The default room as one instance holds it. */
function lobby(server: RunningSwitchboard) {
  return roomOn(server, '#lobby');
}

describe('Redis frozen (SIGSTOP) for longer than the presence TTL', skipUnlessRedis(redis), () => {
  it(`members of one instance keep talking within the timeout (${TIMEOUT_S} s), /healthz and metrics say down; after SIGCONT nothing is duplicated or stored late, and nobody is announced as gone`, { timeout: 90_000 }, async (t) => {
    const frozenRedis = redis as PrivateRedis;
    const prefix = testPrefix();
    const config = { redis: frozenRedis.url, redisPrefix: prefix, redisPresenceTtl: PRESENCE_TTL_S, redisTimeout: TIMEOUT_S, rateLimit: 0 };
    const a = await startTestServer(config);
    const b = await startTestServer(config);
    try {
      const framed = await FramedClient.connect(a.ports.tcp);
      const line = await LineClient.connect(a.ports.line);
      const page = await WsTestClient.connect(a.ports.http);
      const remote = await WsTestClient.connect(b.ports.http);
      await until(() => lobby(a).remote.size === 1 && lobby(b).remote.size === 3, 'each instance lists the other one\'s members', 5000);
      framed.send('before the freeze');
      await remote.waitForText('before the freeze');
      await line.waitFor('before the freeze');

      frozenRedis.freeze();
      const frozenAt = Date.now();
      try {
        for (let i = 0; i < LINES; i += 1) {
          framed.send(`framed-${i}`);
          page.say(`page-${i}`);
        }
        const lineHas = (text: string) => line.received.some((payload) => payload.endsWith(` ${text}`));
        await until(() => lineHas(`framed-${LINES - 1}`) && lineHas(`page-${LINES - 1}`), 'the line client got both senders\' last lines', 4000);
        const pageHas = (text: string) => pageLines(page.events, text).length > 0;
        await until(() => pageHas(`framed-${LINES - 1}`) && pageHas(`page-${LINES - 1}`), 'the page got the framed line and its own line back', 4000);
        const echo = pageLines(page.events, `page-${LINES - 1}`)[0]!;
        t.diagnostic(`the last line of the first burst reached the other members ${Date.now() - frozenAt} ms after SIGSTOP`);
        assert.ok(Date.now() - frozenAt < FREEZE_MS, 'delivered while Redis was still frozen');
        assert.ok(echo.self === true && echo.id === 0, 'the page\'s own line comes back with id 0: not stored');

        await until(async () => (await health(a)) === 'down' && (await health(b)) === 'down', '/healthz of both instances says Redis is down', 4000);
        assert.equal(await redisUpMetric(a), '0', 'switchboard_redis_up 0 while Redis is frozen');
        framed.send('framed-while-down');
        await line.waitFor('framed-while-down', 2000);
        assert.ok(Date.now() - frozenAt < FREEZE_MS, 'a line said once the link is down is delivered at once, still during the freeze');
      } finally {
        await quietFor(Math.max(0, FREEZE_MS - (Date.now() - frozenAt)));
        frozenRedis.thaw();
      }

      await until(async () => (await health(a)) === 'up' && (await health(b)) === 'up', 'both instances report Redis up again', 20_000);
      assert.equal(await redisUpMetric(a), '1');
      framed.send('after the thaw');
      const after = (await remote.waitForText('after the thaw')) as MessageEvent;
      assert.ok(after.id > 0, 'stored again after the thaw');
      await line.waitFor('after the thaw');
      await page.waitForText('after the thaw');
      // Whatever Redis still had to run from before the freeze has run by now (it ran first).
      await quietFor(PRESENCE_TTL_S * 1000);

      const framedOrder = [...Array.from({ length: LINES }, (_, i) => `framed-${i}`), 'framed-while-down'];
      const pageOrder = Array.from({ length: LINES }, (_, i) => `page-${i}`);
      const lineGot = (prefixText: string) => line.chat().flatMap((payload) => payload.match(new RegExp(`${prefixText}[\\w-]+$`)) ?? []);
      assert.deepEqual(lineGot('framed-'), framedOrder, 'the line client got every framed line once, in order');
      assert.deepEqual(lineGot('page-'), pageOrder, 'the line client got every page line once, in order');
      assert.deepEqual(pageLines(page.events, 'framed-').map((event) => event.text), framedOrder, 'the page got every framed line once, in order');
      const own = pageLines(page.events, 'page-');
      assert.deepEqual(own.map((event) => event.text), pageOrder, 'the page got each of its own lines back once');
      assert.ok(own.every((event) => event.self === true && event.id === 0), 'every one acknowledged with id 0');

      assert.deepEqual(pageLines(remote.events, 'framed-').concat(pageLines(remote.events, 'page-')), [], 'lines said while Redis was frozen never reach the other instance late');
      const history = (await (await fetch(`http://127.0.0.1:${b.ports.http}/history?limit=50`)).json()) as { messages: MessageEvent[] };
      assert.deepEqual(
        history.messages.map((message) => message.text),
        ['before the freeze', 'after the thaw'],
        'id 0 meant it: nothing said during the freeze was stored when Redis woke up',
      );
      assert.deepEqual([...leaves(page.events), ...leaves(remote.events)], [], 'nobody was announced as leaving: nobody left');
      assert.equal(lobby(b).remote.size, 3, 'B still lists A\'s three members');
      await Promise.all([framed.close(), line.close(), page.close(), remote.close()]);
    } finally {
      await a.close();
      await b.close();
      await dropRoom(frozenRedis.url, prefix);
      await frozenRedis.stop();
    }
  });
});
