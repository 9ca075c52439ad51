import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerEvent } from '../../shared/events.js';
import { nickKey } from '../../shared/nick.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { IrcTestClient } from '../test-support/irc-client.js';
import { freePort } from '../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';

const SECRET = 'correct horse';

function isJoined(event: ServerEvent): boolean {
  return event.type === 'joined';
}

/** Closes with the framed or line client's last text, which must say `why`. */
async function closedSaying(client: FramedClient | LineClient, why: RegExp): Promise<void> {
  await client.waitFor(why);
  await client.closed;
}

describe('server password on every transport (--password)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), password: SECRET });
  });
  after(async () => {
    await server.close();
  });

  it('framed: prompts, tells nothing of the chat until /pass, then welcomes into the default room', async () => {
    const [talker, listener] = await Promise.all([FramedClient.open(server.ports.tcp), FramedClient.open(server.ports.tcp)]);
    for (const client of [talker, listener]) {
      client.send(`/pass ${SECRET}`);
      await client.waitFor('welcome to');
    }
    const waiting = await FramedClient.open(server.ports.tcp);
    await waiting.waitFor(/this server needs a password: send \/pass PASSWORD as your first message/);
    assert.equal(server.hub.rooms.defaultRoom.count, 2, 'not in the room before the password');
    talker.send('said before the password was given');
    await listener.waitFor('said before the password was given');
    waiting.send(`/pass ${SECRET}`);
    const welcome = await waiting.waitFor('welcome to');
    assert.match(welcome, /you are in #lobby with 2 other members/);
    assert.equal(waiting.received.length, 2, `only the prompt and the welcome: ${JSON.stringify(waiting.received)}`);
    await listener.waitFor(/joined/);
    await Promise.all([talker.close(), listener.close(), waiting.close()]);
  });

  it('framed and line: a wrong password is one error and the close; so is anything but /pass first', async () => {
    const wrong = await FramedClient.open(server.ports.tcp);
    wrong.send('/pass guess');
    await closedSaying(wrong, /error: wrong password; closing connection/);
    const missing = await LineClient.open(server.ports.line);
    missing.send('hello everyone');
    await closedSaying(missing, /error: this server needs a password: the first message must be \/pass PASSWORD; closing connection/);
    const right = await LineClient.open(server.ports.line);
    await right.waitFor('/pass PASSWORD');
    right.send(`/pass ${SECRET}`);
    await right.waitFor('welcome to');
    right.send('/pass again');
    await right.waitFor('already in');
    await right.close();
    assert.equal(server.stats.errors.get('SB_ERR_BAD_PASSWORD'), 1);
    assert.equal(server.stats.errors.get('SB_ERR_PASSWORD_REQUIRED'), 1);
  });

  it('WebSocket: the welcome says a password is needed; a pass event lets it in, a wrong one closes with 1008', async () => {
    const page = await WsTestClient.connect(server.ports.http);
    const welcome = page.events[0]!;
    assert.ok(welcome.type === 'welcome' && welcome.passwordRequired === true, JSON.stringify(welcome));
    page.send({ type: 'pass', password: SECRET });
    const joined = await page.waitFor(isJoined);
    assert.ok(joined.type === 'joined' && joined.room === '#lobby');
    await page.close();

    const wrong = await WsTestClient.connect(server.ports.http);
    wrong.send({ type: 'pass', password: 'guess' });
    const closed = await wrong.closed;
    assert.equal(closed.code, 1008);
    assert.ok(wrong.events.some((event) => event.type === 'notice' && event.code === 'SB_ERR_BAD_PASSWORD'), JSON.stringify(wrong.events));
    assert.ok(!wrong.events.some(isJoined));

    const missing = await WsTestClient.connect(server.ports.http);
    missing.send({ type: 'who' });
    assert.equal((await missing.closed).code, 1008);
    assert.ok(missing.events.some((event) => event.type === 'notice' && event.code === 'SB_ERR_PASSWORD_REQUIRED'));
  });

  it('IRC: PASS before NICK/USER registers; wrong or missing is 464, ERROR and the close, and the nick is never claimed', async () => {
    const right = await IrcTestClient.connect(server.ports.irc);
    right.send(`PASS :${SECRET}`);
    right.send('NICK ada');
    right.send('USER ada 0 * :Ada');
    await right.waitFor(/ 001 ada /);
    await right.waitFor(/ 422 /);
    await right.quit();

    const wrong = await IrcTestClient.connect(server.ports.irc);
    wrong.send('PASS guess');
    wrong.send('NICK bob');
    wrong.send('USER bob 0 * :Bob');
    assert.match(await wrong.waitFor(/ 464 /), /^:\S+ 464 \* :Password incorrect$/);
    assert.match(await wrong.waitFor(/^ERROR /), /wrong password/);
    await wrong.closed;

    const missing = await IrcTestClient.connect(server.ports.irc);
    missing.send('NICK bob');
    missing.send('USER bob 0 * :Bob');
    await missing.waitFor(/ 464 /);
    await missing.closed;
    assert.ok(!missing.lines.some((line) => / 001 /.test(line)));
    assert.equal(server.hub.nicks.holder(nickKey('bob')), undefined, 'bob was never claimed');
  });

  it('GET /history asks for the password too (percent-encoded in x-switchboard-password)', async () => {
    const url = `http://127.0.0.1:${server.ports.http}/history`;
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { 'x-switchboard-password': 'guess' } })).status, 401);
    const right = await fetch(url, { headers: { 'x-switchboard-password': encodeURIComponent(SECRET) } });
    assert.equal(right.status, 200);
    assert.equal(((await right.json()) as { room: string }).room, '#lobby');
  });

  it('once in, framed, line, the page and IRC chat together', async () => {
    const framed = await FramedClient.open(server.ports.tcp);
    framed.send(`/pass ${SECRET}`);
    await framed.waitFor('welcome to');
    const line = await LineClient.open(server.ports.line);
    line.send(`/pass ${SECRET}`);
    await line.waitFor('welcome to');
    const page = await WsTestClient.connect(server.ports.http);
    page.send({ type: 'pass', password: SECRET });
    await page.waitFor(isJoined);
    const irc = await IrcTestClient.connect(server.ports.irc);
    irc.send(`PASS :${SECRET}`);
    irc.send('NICK ircy');
    irc.send('USER ircy 0 * :Ircy');
    await irc.waitFor(/ 422 /);
    irc.send('JOIN #lobby');
    await irc.waitFor(/ 366 /);

    line.send('hello from the line port');
    await framed.waitFor('hello from the line port');
    await page.waitForText('hello from the line port');
    await irc.waitFor(/PRIVMSG #lobby :hello from the line port$/);
    irc.send('PRIVMSG #lobby :hello from IRC');
    await line.waitFor('hello from IRC');
    await page.waitForText('hello from IRC');
    await Promise.all([framed.close(), line.close(), page.close(), irc.quit()]);
  });
});

describe('server password: repeated failures from one address slow down', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ password: SECRET });
  });
  after(async () => {
    await server.close();
  });

  it('after 5 wrong passwords the address is refused, even with the right one, and each refusal is counted', async () => {
    for (let i = 0; i < 5; i += 1) {
      const client = await FramedClient.open(server.ports.tcp);
      client.send(`/pass guess ${i}`);
      await closedSaying(client, /wrong password/);
    }
    const locked = await LineClient.open(server.ports.line);
    locked.send(`/pass ${SECRET}`);
    await closedSaying(locked, /error: too many wrong passwords from 127\.0\.0\.1; try again in \d+ s; closing connection/);
    const page = await WsTestClient.connect(server.ports.http);
    page.send({ type: 'pass', password: SECRET });
    await page.closed;
    assert.ok(page.events.some((event) => event.type === 'notice' && event.code === 'SB_ERR_PASSWORD_LOCKOUT'));
    assert.equal(server.stats.errors.get('SB_ERR_BAD_PASSWORD'), 5);
    assert.equal(server.stats.errors.get('SB_ERR_PASSWORD_LOCKOUT'), 2);
  });
});
