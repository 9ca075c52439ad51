import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { IrcTestClient } from '../test-support/irc-client.js';
import { dropRoom, findRedis, listsMember, type RedisForTests, skipUnlessRedis, testPrefix } from '../test-support/redis.js';
import { freePort } from '../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { WsTestClient } from '../test-support/ws-client.js';

/**
 * Issue 15 with `--redis`: a room's operators, bans, mutes and locks are one record in Redis, so
 * an operator on one instance moderates members on every instance, and an instance started later
 * (or restarted) enforces what was set before it came.
 */
const redis = await findRedis();

async function member(port: number, nick: string, room: string): Promise<FramedClient> {
  const client = await FramedClient.connect(port);
  client.send(`/nick ${nick}`);
  await client.waitFor(`known as ${nick}`);
  client.send(`/join ${room}`);
  await client.waitFor(`you joined ${room}`);
  return client;
}

async function lineMember(port: number, nick: string, room: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  client.send(`/nick ${nick}`);
  await client.waitFor(`known as ${nick}`);
  client.send(`/join ${room}`);
  await client.waitFor(`you joined ${room}`);
  return client;
}

describe('moderation shared through Redis', skipUnlessRedis(redis), () => {
  let a: RunningSwitchboard;
  let b: RunningSwitchboard;
  const started: RunningSwitchboard[] = [];
  const prefix = testPrefix();
  const shared = async () => ({ redis: (redis as RedisForTests).url, redisPrefix: prefix, redisPresenceTtl: 2, rateLimit: 0, presenceDelay: 0, ircPort: await freePort() });
  before(async () => {
    a = await startTestServer(await shared());
    b = await startTestServer(await shared());
    started.push(a, b);
  });
  after(async () => {
    for (const server of started) await server.close();
    if (typeof redis !== 'string') {
      await dropRoom(redis.url, prefix);
      await redis.stop();
    }
  });

  it('an operator on A mutes, kicks and bans members on B; B\'s members see each change', async () => {
    const ada = await member(a.ports.tcp, 'ada', '#mod');
    const bob = await lineMember(b.ports.line, 'bob', '#mod');
    const page = await WsTestClient.connect(b.ports.http);
    page.send({ type: 'join', room: '#mod' });
    await page.waitFor((event) => event.type === 'joined' && event.room === '#mod');
    const irc = await IrcTestClient.register(b.ports.irc, 'ircb');
    irc.send('JOIN #mod');
    await irc.waitFor(/366 ircb #mod/);
    await until(() => listsMember(a, '#mod', 'bob') && listsMember(a, '#mod', 'ircb'), 'A lists bob and ircb of B in #mod');

    ada.send('/mute bob');
    assert.match(await bob.waitFor('muted bob'), /ada muted bob in #mod/);
    assert.match(await irc.waitFor(' MODE #mod'), /^:ada!tcp@\S+ MODE #mod \+q bob$/);
    bob.send('can I speak?');
    assert.match(await bob.waitFor('cannot speak'), /you cannot speak in #mod: an operator muted you/);
    ada.send('/unmute bob');
    await bob.waitFor('unmuted bob');
    bob.send('free on B');
    await ada.waitFor('free on B');

    // A kick of a member of B: B removes it, and every member on both sides sees it go.
    ada.send('/kick bob flooding');
    assert.match(await bob.waitFor('kicked'), /bob was kicked from #mod by ada \(flooding\)/);
    assert.match(await irc.waitFor(' KICK '), /^:ada!tcp@\S+ KICK #mod bob :flooding$/);
    await page.waitFor((event) => event.type === 'notice' && event.kind === 'leave' && event.text.includes('bob was kicked') && event.by?.name === 'ada');
    await ada.waitFor('bob left');
    await until(() => !listsMember(a, '#mod', 'bob'), 'A no longer lists bob in #mod');

    // A ban set on A removes the matching member of B at once and keeps it out of B's room.
    bob.send('/join #mod');
    await bob.waitFor('you joined #mod');
    ada.send('/ban bob 10m');
    assert.match(await bob.waitFor('kicked'), /bob was kicked from #mod by ada \(banned\)/);
    assert.match(await irc.waitFor(' MODE #mod +b'), /MODE #mod \+b bob!\*@\*$/);
    bob.send('/join #mod');
    assert.match(await bob.waitFor('banned from'), /you are banned from #mod \(bob!\*@\*, until/);

    // A lock set on A: on B only operators speak.
    ada.send('/lock talk');
    await irc.waitFor(/MODE #mod \+m$/);
    irc.send('PRIVMSG #mod :hello?');
    assert.match(await irc.waitFor(/ 404 /), /404 ircb #mod :/);
    ada.send('/unlock talk');
    await irc.waitFor(/MODE #mod -m$/);
    irc.socket.end();
    await Promise.all([ada.close(), bob.close(), page.close(), irc.closed]);
  });

  it('an instance started later enforces the bans and operators set before it came', async () => {
    const eve = await member(a.ports.tcp, 'eve', '#kept');
    eve.send('/ban oscar');
    await eve.waitFor('banned oscar');
    eve.send('/op gus');
    await eve.waitFor('made gus an operator');

    const c = await startTestServer(await shared());
    started.push(c);
    const oscar = await FramedClient.connect(c.ports.tcp);
    oscar.send('/nick oscar');
    await oscar.waitFor('known as oscar');
    oscar.send('/join #kept');
    assert.match(await oscar.waitFor('banned from'), /you are banned from #kept \(oscar!\*@\*/);
    // gus, made operator on A, is one on C: he can kick there.
    const gus = await member(c.ports.tcp, 'gus', '#kept');
    const hal = await member(c.ports.tcp, 'hal', '#kept');
    gus.send('/kick hal testing');
    assert.match(await hal.waitFor('kicked'), /hal was kicked from #kept by gus \(testing\)/);
    assert.match(await eve.waitFor('hal left'), /hal left \(kicked by gus\)/);
    // And C's change reaches A: gus (on C) unbans oscar, who can then join on A.
    gus.send('/unban oscar');
    await eve.waitFor('lifted the ban of oscar!*@*');
    oscar.send('/join #kept');
    await oscar.waitFor('you joined #kept');
    await Promise.all([eve.close(), oscar.close(), gus.close(), hal.close()]);
  });

  it('a member in the room on no instance cannot be kicked: a clear error', async () => {
    const ivy = await member(a.ports.tcp, 'ivy', '#far');
    ivy.send('/kick nobody');
    assert.match(await ivy.waitFor('is not in'), /nobody is not in #far/);
    await ivy.close();
  });
});
