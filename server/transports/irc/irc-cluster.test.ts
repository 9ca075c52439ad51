import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NoticeEvent, ServerEvent } from '../../../shared/events.js';
import type { RunningSwitchboard } from '../../switchboard.js';
import { IrcTestClient } from '../../test-support/irc-client.js';
import { listsMember, dropRoom, findRedis, type RedisForTests, skipUnlessRedis, testPrefix } from '../../test-support/redis.js';
import { freePort } from '../../test-support/server-process.js';
import { LineClient, seedDecode, startTestServer } from '../../test-support/test-clients.js';
import { until } from '../../test-support/until.js';
import { WsTestClient } from '../../test-support/ws-client.js';

/**
 * Issue 14 with `--redis`: an IRC client on instance A shares #lobby and #ops with a page and a
 * line client on instance B: chat both ways in both channels, joins and parts seen across, and
 * direct messages between IRC and the page routed to the other instance.
 */
const redis = await findRedis();

function isNotice(event: ServerEvent): event is NoticeEvent {
  return event.type === 'notice';
}

describe('IRC on instance A, a page and a line client on instance B (--redis)', skipUnlessRedis(redis), () => {
  let a: RunningSwitchboard;
  let b: RunningSwitchboard;
  const prefix = testPrefix();
  const shared = () => ({ redis: (redis as RedisForTests).url, redisPrefix: prefix, redisPresenceTtl: 2, rateLimit: 0, presenceDelay: 0, ircServerName: 'irc.test' });
  before(async () => {
    a = await startTestServer({ ...shared(), ircPort: await freePort() });
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

  it('chat both ways in #lobby and #ops, joins and parts seen across, DMs between IRC and the page', { timeout: 30_000 }, async () => {
    const ada = await IrcTestClient.register(a.ports.irc, 'ada');
    ada.send('JOIN #lobby,#ops');
    await ada.waitFor(/ 366 ada #ops /);

    const pat = await WsTestClient.connect(b.ports.http);
    pat.send({ type: 'nick', name: 'pat' });
    await pat.waitFor((event) => isNotice(event) && event.kind === 'nick' && event.member?.name === 'pat');
    pat.send({ type: 'join', room: '#ops' });
    const joined = await pat.waitFor((event) => event.type === 'joined' && event.room === '#ops');
    assert.ok(joined.type === 'joined' && joined.members.some((member) => member.name === 'ada' && member.transport === 'irc'), 'B lists ada of A in #ops, as an IRC member');
    assert.match(await ada.waitFor(/ JOIN #ops$/), /^:pat!ws@irc\.test JOIN #ops$/, 'A\'s IRC client sees the page of B join #ops');

    const grace = await LineClient.connect(b.ports.line);
    grace.send('/nick grace');
    await grace.waitFor('known as grace');
    grace.send('/join #ops');
    await grace.waitFor('you joined #ops');
    assert.match(await ada.waitFor(/^:grace!line@irc\.test JOIN #ops$/), /JOIN #ops/, 'and the line client of B');
    await until(() => listsMember(a, '#lobby', 'grace') && listsMember(a, '#ops', 'grace') && listsMember(b, '#lobby', 'ada'), 'each instance lists the other one\'s members', 5000);

    ada.send('PRIVMSG #lobby :hello lobby from IRC on A');
    const inLobby = await pat.waitForText('hello lobby from IRC on A');
    assert.ok(inLobby.type === 'message' && inLobby.room === '#lobby' && inLobby.from === 'ada' && inLobby.id > 0);
    assert.equal(seedDecode(await grace.waitFor('hello lobby from IRC on A')), '[#lobby] ada: hello lobby from IRC on A', 'the line client, now in #ops, sees #lobby prefixed');
    ada.send('PRIVMSG #ops :hello ops from IRC on A');
    const inOps = await pat.waitForText('hello ops from IRC on A');
    assert.ok(inOps.type === 'message' && inOps.room === '#ops' && inOps.from === 'ada');
    assert.equal(seedDecode(await grace.waitFor('hello ops from IRC on A')), 'ada hello ops from IRC on A');

    pat.send({ type: 'send', room: '#lobby', text: 'page of B in lobby' });
    assert.equal(await ada.waitFor(/page of B in lobby/), ':pat!ws@irc.test PRIVMSG #lobby :page of B in lobby');
    grace.send('line of B in ops');
    assert.equal(await ada.waitFor(/line of B in ops/), ':grace!line@irc.test PRIVMSG #ops :line of B in ops');
    grace.send('/me waves across');
    assert.equal(await ada.waitFor(/waves across/), ':grace!line@irc.test PRIVMSG #ops :\u0001ACTION waves across\u0001');

    grace.send('/part #ops lunch');
    await grace.waitFor('you left #ops');
    assert.equal(await ada.waitFor(/ PART #ops/), ':grace!line@irc.test PART #ops :lunch', 'the part of B\'s line client reaches A');
    ada.send('PART #ops :done here');
    await ada.waitFor(/^:ada!irc@irc\.test PART #ops/);
    const left = await pat.waitFor((event) => isNotice(event) && event.kind === 'leave' && event.room === '#ops' && event.member?.name === 'ada');
    assert.ok(isNotice(left) && left.text.includes('done here'), `the IRC part reaches the page of B, with its reason: ${JSON.stringify(left)}`);

    ada.send('PRIVMSG pat :psst from IRC');
    const dm = await pat.waitFor((event) => event.type === 'message' && event.text === 'psst from IRC');
    assert.ok(dm.type === 'message' && dm.from === 'ada' && dm.to?.name === 'pat' && dm.room === undefined && dm.id === 0, 'a DM, in no room, not stored');
    pat.send({ type: 'msg', to: 'ada', text: 'back to IRC' });
    assert.equal(await ada.waitFor(/back to IRC/), ':pat!ws@irc.test PRIVMSG ada :back to IRC', 'the page\'s DM reaches the IRC client on A');

    await ada.quit();
    const quit = await pat.waitFor((event) => isNotice(event) && event.kind === 'leave' && event.room === '#lobby' && event.member?.name === 'ada');
    assert.ok(isNotice(quit));
    await grace.waitFor('ada left');
    await Promise.all([pat.close(), grace.close()]);
  });
});
