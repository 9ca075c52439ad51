import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import IRC from 'irc-framework';
import type { RunningSwitchboard } from '../../switchboard.js';
import { freePort } from '../../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../../test-support/test-clients.js';
import type { IrcEvent } from 'irc-framework';
import { onceWithin } from '../../test-support/deadline.js';

/** Resolves with the first `event` whose payload passes `check`; rejects after 5 s with what came. */
function next(client: IRC.Client, event: string, check: (payload: IrcEvent) => boolean = () => true): Promise<IrcEvent> {
  const seen: IrcEvent[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`irc-framework: no ${event} event in time; saw ${JSON.stringify(seen)}`));
    }, 5000);
    function listener(payload: IrcEvent): void {
      seen.push(payload);
      if (!check(payload)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(payload);
    }
    client.on(event, listener);
  });
}

describe('irc-framework (the client library of The Lounge and Kiwi IRC) against the IRC port', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), ircServerName: 'irc.test', ircNetwork: 'TestNet', presenceDelay: 0 });
  });
  after(async () => {
    await server.close();
  });

  it('registers with CAP, joins #lobby, talks with a framed and a line client, gets a DM, sees join, nick, topic and part', async () => {
    const client = new IRC.Client({ nick: 'ada', username: 'ada', gecos: 'Ada', auto_reconnect: false });
    const registered = next(client, 'registered');
    client.connect({ host: '127.0.0.1', port: server.ports.irc, nick: 'ada' });
    await registered;
    for (const cap of ['server-time', 'message-tags', 'multi-prefix']) assert.ok(client.network.cap.enabled.includes(cap), `${cap} negotiated`);
    assert.equal(client.network.options['NETWORK'], 'TestNet');

    const joined = next(client, 'join', (event) => event.nick === 'ada');
    client.join('#lobby');
    assert.equal((await joined).channel, '#lobby');

    const framedJoin = next(client, 'join', (event) => event.ident === 'tcp');
    const framed = await FramedClient.connect(server.ports.tcp);
    await framedJoin;
    const line = await LineClient.connect(server.ports.line);
    const renamed = next(client, 'nick', (event) => event.new_nick === 'grace');
    line.send('/nick grace');
    assert.equal((await renamed).ident, 'line');

    client.say('#lobby', 'hello everyone');
    await framed.waitFor('hello everyone');
    assert.ok((await line.waitFor('hello everyone')).endsWith(' ada hello everyone'));

    const fromLine = next(client, 'message', (event) => event.message === 'hi ada');
    line.send('hi ada');
    const message = await fromLine;
    assert.equal(message.nick, 'grace');
    assert.equal(message.target, '#lobby');
    assert.equal(message.type, 'privmsg');
    assert.ok(typeof message.time === 'number' && Math.abs(message.time - Date.now()) < 60_000, 'server-time tag read');

    const action = next(client, 'action', (event) => event.message === 'waves');
    framed.send('/me waves');
    assert.equal((await action).target, '#lobby');

    const dm = next(client, 'message', (event) => event.message === 'a secret');
    line.send('/msg ada a secret');
    assert.equal((await dm).target, 'ada');
    client.say('grace', 'noted');
    assert.ok((await line.waitFor('noted')).endsWith(' *ada* noted'));

    const topic = next(client, 'topic', (event) => event.topic === 'release day');
    line.send('/topic release day');
    assert.equal((await topic).nick, 'grace');

    const parted = next(client, 'part', (event) => event.nick === 'grace');
    line.send('/part');
    assert.equal((await parted).channel, '#lobby');

    await line.close();
    await framed.close();
    const closed = onceWithin(client, 'close');
    client.quit('done');
    await closed;
  });
});
