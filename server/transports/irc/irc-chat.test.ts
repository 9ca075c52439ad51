import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../../switchboard.js';
import { IrcTestClient } from '../../test-support/irc-client.js';
import { freePort } from '../../test-support/server-process.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../../test-support/test-clients.js';

describe('IRC port: chat with the other transports', () => {
  let server: RunningSwitchboard;
  let port: number;
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0, history: 2 });
    port = server.ports.irc;
  });
  after(async () => {
    await server.close();
  });

  it('an IRC client and a line client talk in #lobby, actions both ways, the line client shown as nick!line@server', async () => {
    const line = await LineClient.connect(server.ports.line);
    line.send('/nick grace');
    await line.waitFor('known as grace');
    line.send('before ada came');
    const ada = await IrcTestClient.register(port, 'ada', ['server-time']);
    ada.send('JOIN #lobby');
    assert.equal(await ada.waitFor(/ JOIN /), ':ada!irc@irc.test JOIN #lobby');
    assert.equal(await ada.waitFor(/ 353 /), ':irc.test 353 ada = #lobby :grace ada');
    await ada.waitFor(/ 366 ada #lobby :End of \/NAMES list/);
    assert.match(await ada.waitFor(/before ada came/), /^@time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z :grace!switchboard@irc\.test PRIVMSG #lobby :before ada came$/, 'the replay on JOIN keeps its time (a stored message has no transport)');
    await line.waitFor('ada joined (irc)');
    ada.send('PRIVMSG #lobby :hello from irssi');
    assert.ok((await line.waitFor('hello from irssi')).endsWith(' ada hello from irssi'));
    ada.send('PRIVMSG #lobby :\x01ACTION waves\x01');
    assert.ok((await line.waitFor('waves')).endsWith(' * ada waves'));
    line.send('hi ada');
    assert.match(await ada.waitFor(/hi ada/), / :grace!line@irc\.test PRIVMSG #lobby :hi ada$/);
    line.send('/me nods');
    assert.ok((await ada.waitFor(/nods/)).endsWith(' :grace!line@irc.test PRIVMSG #lobby :\u0001ACTION nods\u0001'));
    line.send('/nick grace2');
    assert.match(await ada.waitFor(/ NICK /), / :grace!line@irc\.test NICK grace2$/);
    line.send('/topic deploys on fridays');
    assert.match(await ada.waitFor(/ TOPIC /), / :grace2!line@irc\.test TOPIC #lobby :deploys on fridays$/);
    await line.close();
    assert.match(await ada.waitFor(/ PART /), / :grace2!line@irc\.test PART #lobby/);
    await ada.quit();
  });

  it('direct messages both ways between IRC and a framed client; echo-message echoes', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    framed.send('/nick fr');
    await framed.waitFor('known as fr');
    const bob = await IrcTestClient.register(port, 'bob', ['echo-message']);
    bob.send('PRIVMSG fr :psst');
    assert.equal(seedDecode(await framed.waitFor('psst')), '*bob* psst');
    assert.equal(await bob.waitFor(/psst/), ':bob!irc@irc.test PRIVMSG fr :psst', 'echo-message');
    framed.send('/msg bob back at you');
    assert.equal(await bob.waitFor(/back at you/), ':fr!tcp@irc.test PRIVMSG bob :back at you');
    bob.send('PRIVMSG nobody :hello?');
    assert.equal(await bob.waitFor(/ 401 /), ':irc.test 401 bob nobody :No such nick/channel');
    bob.send('PRIVMSG #elsewhere :hello?');
    assert.equal(await bob.waitFor(/ 403 /), ':irc.test 403 bob #elsewhere :No such channel');
    bob.send('PRIVMSG #lobby :hello?');
    assert.equal(await bob.waitFor(/ 404 /), ':irc.test 404 bob #lobby :Cannot send to channel (join it first)');
    await framed.close();
    await bob.quit();
  });

  it('splits a long message from another transport at UTF-8 boundaries into lines of at most 512 bytes, and newlines into lines', async () => {
    const cat = await IrcTestClient.register(port, 'cat', ['server-time', 'message-tags']);
    cat.send('JOIN #lobby');
    await cat.waitFor(/ 366 /);
    const framed = await FramedClient.connect(server.ports.tcp);
    framed.send('/nick long');
    await framed.waitFor('known as long');
    const text = `${'é'.repeat(700)}🦊${'z'.repeat(300)}`;
    framed.send(`first line\n${text}`);
    await cat.waitFor(/PRIVMSG #lobby :first line$/);
    const pieces: string[] = [];
    while (pieces.join('') !== text) {
      const got = await cat.waitFor(/ :long!tcp@irc\.test PRIVMSG #lobby :/);
      assert.ok(Buffer.byteLength(`${got}\r\n`) <= 512, `${Buffer.byteLength(got)} bytes`);
      assert.match(got, /^@time=[^ ;]+;msgid=lobby-\d+ /);
      pieces.push(got.slice(got.indexOf(' :', got.indexOf('PRIVMSG')) + 2));
      assert.ok(pieces.join('').length <= text.length, 'nothing extra');
    }
    assert.ok(pieces.length >= 3);
    await framed.close();
    await cat.quit();
  });
});
