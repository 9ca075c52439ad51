import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../../switchboard.js';
import { IrcTestClient } from '../../test-support/irc-client.js';
import { freePort } from '../../test-support/server-process.js';
import { startTestServer } from '../../test-support/test-clients.js';

describe('IRC port: registration and numerics', () => {
  let server: RunningSwitchboard;
  let port: number;
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), ircServerName: 'irc.test', ircNetwork: 'TestNet' });
    port = server.ports.irc;
  });
  after(async () => {
    await server.close();
  });

  it('registers with CAP LS 302 / REQ / END, NICK and USER: 001–005, ISUPPORT, 422, in no room', async () => {
    const client = await IrcTestClient.connect(port);
    client.send('CAP LS 302');
    client.send('PASS ignored');
    client.send('NICK ada');
    client.send('USER ada 0 * :Ada Lovelace');
    assert.equal(await client.waitFor(/ CAP \* LS /), ':irc.test CAP * LS :server-time message-tags echo-message multi-prefix');
    client.send('CAP REQ :server-time echo-message');
    assert.equal(await client.waitFor(/ CAP /), ':irc.test CAP * ACK :server-time echo-message');
    client.send('CAP REQ :no-such-cap');
    assert.equal(await client.waitFor(/ CAP /), ':irc.test CAP * NAK :no-such-cap');
    assert.ok(!client.lines.some((line) => / 001 /.test(line)), 'no welcome before CAP END');
    client.send('CAP END');
    const welcome = await client.collectUntil(/ 422 /);
    assert.deepEqual(welcome.map((line) => line.split(' ')[1]), ['001', '002', '003', '004', '005', '422']);
    assert.equal(welcome[0], ':irc.test 001 ada :Welcome to the TestNet IRC network ada!irc@irc.test');
    const isupport = welcome[4]!;
    for (const token of ['CASEMAPPING=ascii', 'CHANTYPES=#', 'NICKLEN=32', 'CHANNELLEN=51', 'TOPICLEN=300', 'PREFIX=(o)@', 'NETWORK=TestNet']) assert.ok(isupport.includes(` ${token} `), `${token} in ${isupport}`);
    assert.ok(isupport.endsWith(':are supported by this server'));
    assert.equal(server.hub.countByTransport().irc, 1);
    assert.equal(server.hub.rooms.defaultRoom.count, 0, 'an IRC client joins rooms itself');
    await client.quit();
  });

  it('answers 451 before registration, 433 for a taken nick, 432 for an invalid one, 462 for a second USER', async () => {
    const ada = await IrcTestClient.register(port, 'ada');
    const other = await IrcTestClient.connect(port);
    other.send('JOIN #lobby');
    assert.equal(await other.waitFor(/ 451 /), ':irc.test 451 * :You have not registered');
    other.send('NICK ADA');
    assert.equal(await other.waitFor(/ 433 /), ':irc.test 433 * ADA :Nickname is already in use');
    other.send('NICK bad*nick');
    assert.match(await other.waitFor(/ 432 /), /^:irc\.test 432 \* bad\*nick :Erroneous nickname: /);
    other.send('NICK bob');
    other.send('USER bob 0 * :Bob');
    await other.waitFor(/ 001 bob /);
    other.send('USER bob 0 * :Bob');
    assert.equal(await other.waitFor(/ 462 /), ':irc.test 462 bob :You may not reregister');
    other.send('FROB x');
    assert.equal(await other.waitFor(/ 421 /), ':irc.test 421 bob FROB :Unknown command');
    await other.quit();
    await ada.quit();
  });

  it('answers PING, and pings back; QUIT gets ERROR and a close', async () => {
    const client = await IrcTestClient.register(port, 'pinger');
    client.send('PING :abc123');
    assert.equal(await client.waitFor(/PONG/), ':irc.test PONG irc.test :abc123');
    client.send('QUIT :done here');
    assert.match(await client.waitFor(/^ERROR /), /^ERROR :Closing link: .* \(goodbye \(done here\)\)$/);
    await client.closed;
  });

  it('answers a line over 512 bytes with 417 and keeps the connection', async () => {
    const client = await IrcTestClient.register(port, 'longline');
    client.send(`PRIVMSG #lobby :${'x'.repeat(600)}`);
    assert.equal(await client.waitFor(/ 417 /), ':irc.test 417 longline :Input line was too long');
    client.send(`PRIVMSG #lobby :${'y'.repeat(9000)}`);
    await client.waitFor(/ 417 /);
    client.send('PING :still');
    await client.waitFor(/PONG irc\.test :still/);
    await client.quit();
  });
});
