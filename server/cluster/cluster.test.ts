import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MessageEvent, ServerEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { dropRoom, findRedis, type RedisForTests, roomOn, skipUnlessRedis, testPrefix } from '../test-support/redis.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';

const redis = await findRedis();
const ORDERED = 200;

function messages(events: readonly ServerEvent[]): MessageEvent[] {
  return events.filter((event): event is MessageEvent => event.type === 'message');
}

/** The default room as one instance holds it. */
function lobby(server: RunningSwitchboard) {
  return roomOn(server, '#lobby');
}

describe('two instances sharing the default room through Redis', skipUnlessRedis(redis), () => {
  let a: RunningSwitchboard;
  let b: RunningSwitchboard;
  const prefix = testPrefix();
  before(async () => {
    const { url } = redis as RedisForTests;
    const shared = { redis: url, redisPrefix: prefix, redisPresenceTtl: 2, rateLimit: 0 };
    a = await startTestServer(shared);
    b = await startTestServer(shared);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    if (typeof redis !== 'string') {
      await dropRoom(redis.url, prefix);
      await redis.stop();
    }
  });

  it('carries chat both ways between a framed and a line client on A and a page on B, each sender in order', async () => {
    const framed = await FramedClient.connect(a.ports.tcp);
    const line = await LineClient.connect(a.ports.line);
    const page = await WsTestClient.connect(b.ports.http);
    await until(() => lobby(a).remote.size === 1 && lobby(b).remote.size === 2, 'each instance knows the other one\'s members', 5000);

    for (let i = 0; i < ORDERED; i += 1) framed.send(`framed ${i}`);
    line.send('from the line client');
    const arrived = (text: string) => messages(page.events).some((event) => event.text === text);
    await until(() => arrived(`framed ${ORDERED - 1}`) && arrived('from the line client'), 'the page got both senders\' lines', 5000);
    const fromFramed = messages(page.events).filter((event) => event.text.startsWith('framed '));
    assert.deepEqual(
      fromFramed.map((event) => event.text),
      Array.from({ length: ORDERED }, (_, i) => `framed ${i}`),
      'the page got every framed message once, in the order sent',
    );
    assert.ok(fromFramed.every((event) => event.room === '#lobby'), 'each carries its room');
    const ids = fromFramed.map((event) => event.id);
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'ids increase');

    page.say('hello from B');
    assert.equal(seedDecode(await framed.waitFor('hello from B')).replace(/^\S+ /, ''), 'hello from B');
    await line.waitFor('hello from B');
    const echo = await page.waitFor((event) => event.type === 'message' && event.text === 'hello from B');
    assert.ok(echo.type === 'message' && echo.self === true && echo.id > ids.at(-1)!, 'the page gets its own line back, with the next id');
    assert.ok(!framed.received.some((payload) => payload.includes('framed 0')), 'no echo to the framed sender');
    await Promise.all([framed.close(), line.close(), page.close()]);
  });

  it('/who and the page list show the members of both instances; joins and leaves cross over', async () => {
    const framed = await FramedClient.connect(a.ports.tcp);
    framed.send('/nick ada');
    await framed.waitFor('known as ada');
    await until(() => lobby(b).list().some((member) => member.name === 'ada'), 'B lists ada', 5000);
    const page = await WsTestClient.connect(b.ports.http);
    const welcome = await page.waitForText('other member');
    assert.match(welcome.type === 'notice' ? welcome.text : '', /with 1 other member/, 'the welcome counts members of every instance');
    const joined = page.events.find((event) => event.type === 'joined');
    assert.ok(joined?.type === 'joined' && joined.room === '#lobby');
    assert.ok(joined.members.some((member) => member.name === 'ada' && member.transport === 'tcp'), 'the joined event lists ada, on A');

    await framed.waitFor(/\*\*\* \S+ joined \(ws\)/);
    framed.send('/who');
    const who = seedDecode(await framed.waitFor('members of #lobby ('));
    assert.match(who, /ada \(tcp\)/);
    assert.match(who, /127\.0\.0\.1:\d+ \(ws\)/);

    await framed.close();
    await page.waitFor((event) => event.type === 'notice' && event.kind === 'leave' && event.member?.name === 'ada');
    await page.close();
  });

  it('keeps nicknames unique across instances, and frees them when their holder leaves', async () => {
    const onA = await FramedClient.connect(a.ports.tcp);
    const onB = await WsTestClient.connect(b.ports.http);
    onA.send('/nick Grace');
    await onA.waitFor('known as Grace');
    await until(() => lobby(b).list().some((member) => member.name === 'Grace'), 'B knows Grace', 5000);
    onB.say('/nick grace');
    const refused = await onB.waitFor((event) => event.type === 'notice' && event.code === 'SB_ERR_NICK_TAKEN');
    assert.match(refused.type === 'notice' ? refused.text : '', /grace is taken/);

    await onA.close();
    await until(() => !lobby(b).list().some((member) => member.name === 'Grace'), 'B saw Grace leave', 5000);
    onB.say('/nick grace');
    await onB.waitFor((event) => event.type === 'notice' && event.kind === 'nick' && event.member?.name === 'grace');
    await onB.close();
  });

  it('serves the shared history from either instance: replay on join, resume by id, GET /history', async () => {
    const framed = await FramedClient.connect(a.ports.tcp);
    const watcher = await WsTestClient.connect(b.ports.http);
    framed.send('history line one');
    framed.send('history line two');
    await watcher.waitForText('history line two');
    const first = await WsTestClient.connect(b.ports.http);
    const history = await first.waitFor((event) => event.type === 'history');
    assert.ok(history.type === 'history' && history.room === '#lobby');
    const two = history.messages.at(-1);
    assert.equal(two?.text, 'history line two', 'B replays what was said on A');
    await first.close();

    framed.send('said while the page was away');
    await watcher.waitForText('said while the page was away');
    const resumed = await WsTestClient.connect(b.ports.http, undefined, `?after=${two!.id}&epoch=${history.epoch}`);
    const replay = await resumed.waitFor((event) => event.type === 'history');
    assert.ok(replay.type === 'history' && replay.mode === 'resume');
    assert.deepEqual(replay.messages.map((message) => message.text), ['said while the page was away']);

    const page = (await (await fetch(`http://127.0.0.1:${a.ports.http}/history?limit=3`)).json()) as { epoch: string; messages: MessageEvent[] };
    assert.equal(page.epoch, history.epoch, 'both instances share one history epoch');
    assert.deepEqual(page.messages.map((message) => message.text).slice(-2), ['history line two', 'said while the page was away']);
    await Promise.all([framed.close(), resumed.close(), watcher.close()]);
  });

  it('reports the link in /healthz and /metrics', async () => {
    const health = (await (await fetch(`http://127.0.0.1:${a.ports.http}/healthz`)).json()) as { redis?: { status: string; instance: string } };
    assert.equal(health.redis?.status, 'up');
    assert.match(health.redis?.instance ?? '', /^i\d+$/);
    const metrics = await (await fetch(`http://127.0.0.1:${a.ports.http}/metrics`)).text();
    assert.match(metrics, /^switchboard_redis_up 1$/m);
    assert.match(metrics, /^switchboard_remote_members \d+$/m);
  });

  it('announces the leaves of an instance that shuts down, at once', async () => {
    const { url } = redis as RedisForTests;
    const c = await startTestServer({ redis: url, redisPrefix: prefix, redisPresenceTtl: 30 });
    const onC = await LineClient.connect(c.ports.line);
    const page = await WsTestClient.connect(a.ports.http);
    await until(() => lobby(a).list().some((member) => member.transport === 'line'), 'A knows C\'s member', 5000);
    const started = Date.now();
    await c.close();
    await page.waitFor((event) => event.type === 'notice' && event.kind === 'leave', 5000);
    assert.ok(Date.now() - started < 5000, 'the leave came well before the 30 s presence TTL');
    await onC.closed;
    await page.close();
  });
});
