import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../../switchboard.js';
import { IrcTestClient } from '../../test-support/irc-client.js';
import { freePort } from '../../test-support/server-process.js';
import { LineClient, startTestServer } from '../../test-support/test-clients.js';

describe('IRC port: queries and their numerics', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0 });
  });
  after(async () => {
    await server.close();
  });

  it('answers NAMES, WHO, WHOIS, LIST, TOPIC, MODE, AWAY, ISON and USERHOST; JOIN and PART lists', async () => {
    const line = await LineClient.connect(server.ports.line);
    line.send('/nick grace');
    await line.waitFor('known as grace');
    const ada = await IrcTestClient.register(server.ports.irc, 'ada');
    ada.send('JOIN #lobby,#ops');
    await ada.waitFor(/ 366 ada #lobby /);
    await ada.waitFor(/ 366 ada #ops /);
    ada.send('NAMES #lobby');
    assert.equal(await ada.waitFor(/ 353 /), ':irc.test 353 ada = #lobby :grace ada');
    ada.send('WHO #lobby');
    assert.equal(await ada.waitFor(/ 352 /), ':irc.test 352 ada #lobby line irc.test irc.test grace H :0 grace');
    assert.equal(await ada.waitFor(/ 352 /), ':irc.test 352 ada #lobby irc irc.test irc.test ada H :0 ada');
    assert.equal(await ada.waitFor(/ 315 /), ':irc.test 315 ada #lobby :End of /WHO list');
    ada.send('WHOIS grace');
    assert.equal(await ada.waitFor(/ 311 /), ':irc.test 311 ada grace line irc.test * :grace');
    assert.equal(await ada.waitFor(/ 319 /), ':irc.test 319 ada grace :#lobby');
    await ada.waitFor(/ 318 ada grace /);
    ada.send('TOPIC #ops :deploys on fridays');
    assert.equal(await ada.waitFor(/ TOPIC /), ':ada!irc@irc.test TOPIC #ops :deploys on fridays');
    ada.send('TOPIC #ops');
    assert.equal(await ada.waitFor(/ 332 /), ':irc.test 332 ada #ops :deploys on fridays');
    ada.send('LIST');
    await ada.waitFor(/ 321 /);
    const listed = await ada.collectUntil(/ 323 /);
    assert.ok(listed.includes(':irc.test 322 ada #ops 1 :deploys on fridays'), JSON.stringify(listed));
    ada.send('MODE #ops');
    assert.equal(await ada.waitFor(/ 324 /), ':irc.test 324 ada #ops :+n');
    // ada made #ops, so she is its operator: the change is echoed (moderation.test.ts has the refusals).
    ada.send('MODE #ops +m');
    assert.equal(await ada.waitFor(/ MODE /), ':ada!irc@irc.test MODE #ops +m');
    ada.send('AWAY :lunch');
    await ada.waitFor(/ 306 /);
    ada.send('USERHOST ada grace');
    assert.equal(await ada.waitFor(/ 302 /), ':irc.test 302 ada :ada=-irc@irc.test grace=+line@irc.test');
    ada.send('ISON grace nobody ada');
    assert.equal(await ada.waitFor(/ 303 /), ':irc.test 303 ada :grace ada');
    ada.send('PART #ops,#nowhere :bye');
    assert.equal(await ada.waitFor(/ PART /), ':ada!irc@irc.test PART #ops :bye');
    assert.equal(await ada.waitFor(/ 403 /), ':irc.test 403 ada #nowhere :No such channel');
    ada.send('JOIN bad');
    assert.match(await ada.waitFor(/ 479 /), /^:irc\.test 479 ada bad :Illegal channel name/);
    await line.close();
    await ada.quit();
  });

  it('answers /motd, /version and /lusers as irssi and WeeChat send them, not with 421', async () => {
    const line = await LineClient.connect(server.ports.line);
    const ada = await IrcTestClient.register(server.ports.irc, 'ada');
    ada.send('JOIN #lobby');
    await ada.waitFor(/ 366 /);
    ada.send('motd');
    assert.equal(await ada.waitFor(/ 422 /), ':irc.test 422 ada :MOTD File is missing');
    ada.send('version');
    assert.match(await ada.waitFor(/ 351 /), /^:irc\.test 351 ada switchboard-\S+ irc\.test :/);
    ada.send('LUSERS');
    assert.equal(await ada.waitFor(/ 251 /), ':irc.test 251 ada :There are 2 users and 0 invisible on 1 servers', 'the line client counts');
    assert.match(await ada.waitFor(/ 254 /), /^:irc\.test 254 ada \d+ :channels formed$/);
    assert.equal(await ada.waitFor(/ 255 /), ':irc.test 255 ada :I have 2 clients and 0 servers');
    assert.ok(!ada.lines.some((got) => / 421 /.test(got)), JSON.stringify(ada.lines.filter((got) => / 421 /.test(got))));
    await line.close();
    await ada.quit();
  });
});
