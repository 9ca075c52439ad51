import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { MessageEvent, NoticeEvent, ServerEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { listsMember, dropRoom, findRedis, holdsRoom, type RedisForTests, roomOn, skipUnlessRedis, testPrefix } from '../test-support/redis.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';

/**
 * Issue 13 with `--redis`: two instances are one server for rooms (members of a room on each),
 * direct messages (routed to the instance holding the recipient), `/rooms` and topics.
 */
const redis = await findRedis();

function isNotice(event: ServerEvent): event is NoticeEvent {
  return event.type === 'notice';
}

function roomNotices(events: readonly ServerEvent[], room: string): NoticeEvent[] {
  return events.filter((event): event is NoticeEvent => isNotice(event) && event.room === room);
}

/** A page with a nickname, its rename confirmed. */
async function pageAs(server: RunningSwitchboard, nick: string): Promise<WsTestClient> {
  const page = await WsTestClient.connect(server.ports.http);
  page.send({ type: 'nick', name: nick });
  await page.waitFor((event) => isNotice(event) && event.kind === 'nick' && event.member?.name === nick);
  return page;
}

/** A framed or line client with a nickname, its rename confirmed. */
async function named<T extends FramedClient | LineClient>(client: T, nick: string): Promise<T> {
  client.send(`/nick ${nick}`);
  await client.waitFor(`known as ${nick}`);
  return client;
}

describe('two instances as one server: rooms, direct messages, topics', skipUnlessRedis(redis), () => {
  let a: RunningSwitchboard;
  let b: RunningSwitchboard;
  const prefix = testPrefix();
  const shared = () => ({ redis: (redis as RedisForTests).url, redisPrefix: prefix, redisPresenceTtl: 2, rateLimit: 0, presenceDelay: 0 });
  before(async () => {
    a = await startTestServer(shared());
    b = await startTestServer(shared());
  });
  after(async () => {
    await a?.close();
    await b?.close();
    if (typeof redis !== 'string') {
      await dropRoom(redis.url, prefix);
      await redis.stop();
    }
  });

  it('members of #ops on each instance (framed on A, page on B) chat both ways in #ops', async () => {
    const ada = await named(await FramedClient.connect(a.ports.tcp), 'ada');
    ada.send('/join #ops');
    await ada.waitFor('you joined #ops');
    const bob = await pageAs(b, 'bob');
    bob.send({ type: 'join', room: '#ops' });
    const joined = await bob.waitFor((event) => event.type === 'joined' && event.room === '#ops');
    assert.ok(joined.type === 'joined' && joined.members.some((member) => member.name === 'ada' && member.transport === 'tcp'), 'B lists ada of A in #ops');
    assert.equal(joined.type === 'joined' && joined.count, 2);
    assert.equal(seedDecode(await ada.waitFor('bob joined')), '*** bob joined (ws)', 'A announces bob of B in #ops, its current room');

    ada.send('hello ops from A');
    const got = (await bob.waitForText('hello ops from A')) as MessageEvent;
    assert.equal(got.room, '#ops');
    assert.equal(got.from, 'ada');
    assert.ok(got.id > 0, 'stored, with an id');

    bob.send({ type: 'send', room: '#ops', text: 'hello ops from B' });
    assert.equal(seedDecode(await ada.waitFor('hello ops from B')), 'bob hello ops from B', 'in ada\'s current room: no prefix');
    const echo = (await bob.waitForText('hello ops from B')) as MessageEvent;
    assert.ok(echo.self === true && echo.room === '#ops' && echo.id > got.id, 'bob gets his line back with the next id');

    const history = (await (await fetch(`http://127.0.0.1:${a.ports.http}/history?room=%23ops`)).json()) as { room: string; messages: MessageEvent[] };
    assert.equal(history.room, '#ops');
    assert.deepEqual(history.messages.map((message) => message.text), ['hello ops from A', 'hello ops from B'], 'the history of #ops holds #ops only');
    await Promise.all([ada.close(), bob.close()]);
  });

  it('join and part notices of #ops reach the members of #ops on both instances, and nobody else', async () => {
    const inOpsA = await named(await FramedClient.connect(a.ports.tcp), 'ops-a');
    inOpsA.send('/join #ops');
    await inOpsA.waitFor('you joined #ops');
    const lobbyOnlyA = await named(await LineClient.connect(a.ports.line), 'lobby-a');
    const inOpsB = await pageAs(b, 'ops-b');
    inOpsB.send({ type: 'join', room: '#ops' });
    await inOpsB.waitFor((event) => event.type === 'joined' && event.room === '#ops');
    const lobbyOnlyB = await pageAs(b, 'lobby-b');
    await until(() => listsMember(a, '#ops', 'ops-b') && listsMember(b, '#ops', 'ops-a'), 'each instance lists the other one\'s #ops member', 5000);

    const carol = await named(await LineClient.connect(b.ports.line), 'carol');
    carol.send('/join #ops');
    await carol.waitFor('you joined #ops');
    assert.equal(seedDecode(await inOpsA.waitFor('carol joined')), '*** carol joined (line)', 'A\'s #ops member is told');
    await inOpsB.waitFor((event) => isNotice(event) && event.kind === 'join' && event.room === '#ops' && event.member?.name === 'carol');
    carol.send('/part #ops off to lunch');
    await carol.waitFor('you left #ops');
    assert.equal(seedDecode(await inOpsA.waitFor('carol left')), '*** carol left (off to lunch)');
    await inOpsB.waitFor((event) => isNotice(event) && event.kind === 'leave' && event.room === '#ops' && event.member?.name === 'carol');

    // The part was handled on both instances (their #ops members were told): anything for the
    // lobby-only members was queued before this marker, said after it on each instance.
    inOpsA.send('/join #lobby');
    await inOpsA.waitFor('you are in #lobby');
    inOpsA.send('marker after the part');
    await lobbyOnlyA.waitFor('marker after the part');
    await lobbyOnlyB.waitForText('marker after the part');
    assert.deepEqual(lobbyOnlyA.received.filter((payload) => payload.includes('[#ops]')), [], 'no #ops notice for the lobby-only member of A');
    assert.deepEqual(roomNotices(lobbyOnlyB.events, '#ops'), [], 'no #ops notice for the lobby-only page of B');
    assert.ok(lobbyOnlyA.received.some((payload) => payload.endsWith('is now known as carol')), 'but it was told of carol, who is in #lobby too');
    await Promise.all([inOpsA.close(), lobbyOnlyA.close(), inOpsB.close(), lobbyOnlyB.close(), carol.close()]);
  });

  it('a direct message goes from a line client on A to a page on B and back, and is never stored', async () => {
    const ann = await named(await LineClient.connect(a.ports.line), 'ann');
    const pat = await pageAs(b, 'pat');
    await until(() => listsMember(a, '#lobby', 'pat') && listsMember(b, '#lobby', 'ann'), 'each instance lists the other one\'s member', 5000);

    ann.send('/msg pat psst from A');
    const received = await pat.waitFor((event) => event.type === 'message' && event.text === 'psst from A');
    assert.ok(received.type === 'message');
    assert.equal(received.from, 'ann');
    assert.equal(received.to?.name, 'pat', 'addressed to pat');
    assert.equal(received.room, undefined, 'in no room');
    assert.equal(received.id, 0, 'not stored');

    pat.send({ type: 'msg', to: 'ann', text: 'back from B' });
    assert.equal(seedDecode(await ann.waitFor('back from B')), '*pat* back from B', 'the DM form on the line port');
    const ack = await pat.waitFor((event) => event.type === 'message' && event.text === 'back from B');
    assert.ok(ack.type === 'message' && ack.self === true && ack.to?.name === 'ann', 'pat sees his DM as sent to ann');

    pat.send({ type: 'msg', to: 'nobody-here', text: 'lost' });
    const refused = await pat.waitFor((event) => isNotice(event) && event.code === 'SB_ERR_NO_SUCH_MEMBER');
    assert.match(refused.type === 'notice' ? refused.text : '', /no member is called nobody-here/);

    const inspect = new Redis((redis as RedisForTests).url);
    try {
      const entries = await inspect.xrange(`${prefix}log`, '-', '+');
      const texts = entries.map(([, fields]) => fields.join(' '));
      assert.ok(!texts.some((text) => text.includes('psst from A') || text.includes('back from B')), 'no DM in the shared stream');
    } finally {
      inspect.disconnect();
    }
    await Promise.all([ann.close(), pat.close()]);
  });

  it('/rooms on B lists a room made on A, with its member count and topic; the topic set on A shows on B', async () => {
    const maker = await named(await FramedClient.connect(a.ports.tcp), 'maker');
    maker.send('/join #Design');
    await maker.waitFor('you joined #Design');
    maker.send('/topic #Design sketches and mockups');
    await maker.waitFor('set the topic of #Design');
    const viewer = await LineClient.connect(b.ports.line);
    await until(() => holdsRoom(b, '#design') && roomOn(b, '#design').topic === 'sketches and mockups', 'B holds #Design with its topic', 5000);
    viewer.send('/rooms');
    const rooms = seedDecode(await viewer.waitFor('rooms ('));
    assert.match(rooms, /#Design \(1: sketches and mockups\)/, `B lists #Design as its maker spelt it, 1 member, its topic: ${rooms}`);

    const page = await WsTestClient.connect(b.ports.http);
    page.send({ type: 'join', room: '#design' });
    const joined = await page.waitFor((event) => event.type === 'joined' && event.room !== '#lobby');
    assert.ok(joined.type === 'joined' && joined.room === '#Design' && joined.topic === 'sketches and mockups', 'the page joins #Design as its maker spelt it, with its topic');
    maker.send('/topic #Design final designs');
    const topic = await page.waitFor((event) => isNotice(event) && event.kind === 'topic');
    assert.ok(topic.type === 'notice' && topic.room === '#Design' && topic.text.includes('final designs'), 'B\'s member of #Design is told of the new topic');
    await Promise.all([maker.close(), viewer.close(), page.close()]);
  });

  it('a room\'s topic outlives a restart of B: the restarted instance reads it from Redis', async () => {
    const setter = await named(await FramedClient.connect(a.ports.tcp), 'setter');
    setter.send('/join #archive');
    await setter.waitFor('you joined #archive');
    setter.send('/topic #archive kept in Redis');
    await setter.waitFor('set the topic of #archive');
    setter.send('/part #archive');
    await setter.waitFor('you left #archive');
    await b.close();
    b = await startTestServer(shared());
    assert.equal(holdsRoom(b, '#archive'), false, 'nobody is in #archive: the new B has not opened it');
    const page = await WsTestClient.connect(b.ports.http);
    page.send({ type: 'join', room: '#archive' });
    const joined = await page.waitFor((event) => event.type === 'joined' && event.room === '#archive');
    assert.ok(joined.type === 'joined');
    assert.equal(joined.topic, 'kept in Redis', 'the topic comes from Redis');
    await Promise.all([setter.close(), page.close()]);
  });

  it('a member of A in two rooms with a member of B is announced renamed once, not once per room', async () => {
    const mover = await FramedClient.connect(a.ports.tcp);
    mover.send('/join #twice');
    await mover.waitFor('you joined #twice');
    const watcher = await LineClient.connect(b.ports.line);
    watcher.send('/join #twice');
    await watcher.waitFor('you joined #twice');
    await until(() => holdsRoom(b, '#twice') && roomOn(b, '#twice').remote.size === 1 && roomOn(b, '#lobby').list().length >= 2, 'B lists the mover in both rooms', 5000);
    mover.send('/nick renamed-once');
    await mover.waitFor('known as renamed-once');
    await watcher.waitFor('is now known as renamed-once');
    mover.send('said after the rename');
    await watcher.waitFor('said after the rename');
    const renames = watcher.received.filter((payload) => payload.includes('is now known as renamed-once'));
    assert.equal(renames.length, 1, `one rename notice: ${JSON.stringify(renames)}`);
    await Promise.all([mover.close(), watcher.close()]);
  });
});
