import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import IRC from 'irc-framework';
import type { IrcEvent } from 'irc-framework';
import { nickKey } from '../../../shared/nick.js';
import type { RunningSwitchboard } from '../../switchboard.js';
import { IrcTestClient } from '../../test-support/irc-client.js';
import { freePort } from '../../test-support/server-process.js';
import { LineClient, startTestServer } from '../../test-support/test-clients.js';

const PASSWORD = 'correct horse battery';

function plain(authcid: string, password: string, authzid = ''): string {
  return Buffer.from(`${authzid}\0${authcid}\0${password}`, 'utf8').toString('base64');
}

/** CAP LS 302, NICK and USER, CAP REQ :sasl, AUTHENTICATE PLAIN: resolves at `AUTHENTICATE +`. */
async function startSasl(port: number, nick: string): Promise<IrcTestClient> {
  const client = await IrcTestClient.connect(port);
  client.send('CAP LS 302');
  client.send(`NICK ${nick}`);
  client.send(`USER ${nick} 0 * :${nick}`);
  const ls = await client.waitFor((_line, message) => message.command === 'CAP' && message.params[1] === 'LS');
  assert.match(ls, /sasl=PLAIN/);
  client.send('CAP REQ :sasl');
  await client.waitFor(/ CAP \* ACK :sasl$/);
  client.send('AUTHENTICATE PLAIN');
  await client.waitFor(/^AUTHENTICATE \+$/);
  return client;
}

describe('IRC SASL PLAIN (--accounts)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ accounts: true, ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0 });
    const owner = await LineClient.open(server.ports.line);
    await owner.waitFor('welcome to');
    owner.send(`/register ada ${PASSWORD}`);
    await owner.waitFor('registered ada');
    await owner.close();
  });
  after(async () => {
    await server.close();
  });

  it('CAP LS 302 offers sasl=PLAIN; AUTHENTICATE logs in (900, 903; again: 907), and registration takes the account\'s nick', async () => {
    const client = await startSasl(server.ports.irc, 'someone');
    client.send(`AUTHENTICATE ${plain('ada', PASSWORD)}`);
    assert.match(await client.waitFor(/ 900 /), /^:irc\.test 900 ada ada!irc@irc\.test ada :You are now logged in as ada$/);
    assert.match(await client.waitFor(/ 903 /), /^:irc\.test 903 ada :SASL authentication successful$/);
    client.send('AUTHENTICATE PLAIN');
    await client.waitFor(/ 907 ada :You have already authenticated using SASL$/);
    client.send('CAP END');
    await client.waitFor(/^:irc\.test 001 ada /);
    assert.equal(server.hub.nicks.holder(nickKey('ada'))?.account, nickKey('ada'));
    client.send('NICK bob');
    await client.waitFor(/ 432 ada bob :Erroneous nickname: nickname refused: you are logged in as ada/);
    await client.quit();
  });

  it('a wrong password is 904 (the NICK of the registered name then 433), a wrong mechanism 908 and 904, * aborts (906), a line over 400 is 905', async () => {
    const client = await startSasl(server.ports.irc, 'ada');
    client.send(`AUTHENTICATE ${plain('ada', 'not the password')}`);
    assert.match(await client.waitFor(/ 904 /), /^:irc\.test 904 \* :SASL authentication failed$/);
    client.send('AUTHENTICATE SCRAM-SHA-256');
    await client.waitFor(/ 908 \* PLAIN :are available SASL mechanisms$/);
    await client.waitFor(/ 904 /);
    client.send('AUTHENTICATE PLAIN');
    await client.waitFor(/^AUTHENTICATE \+$/);
    client.send('AUTHENTICATE *');
    await client.waitFor(/ 906 \* :SASL authentication aborted$/);
    client.send('AUTHENTICATE PLAIN');
    await client.waitFor(/^AUTHENTICATE \+$/);
    client.send(`AUTHENTICATE ${'A'.repeat(401)}`);
    await client.waitFor(/ 905 \* :SASL message too long$/);
    client.send('CAP END');
    await client.waitFor(/ 433 \* ada :Nickname is reserved by a different account$/);
    client.send('NICK ada_guest');
    await client.waitFor(/ 001 ada_guest /);
    client.send('AUTHENTICATE PLAIN');
    await client.waitFor(/ 904 ada_guest :SASL authentication failed: log in before registration/);
    await client.quit();
    assert.ok((server.stats.errors.get('SB_ERR_LOGIN_FAILED') ?? 0) >= 1);
  });

  it('without SASL, NICK of a registered name is 433 and the client picks another', async () => {
    const client = await IrcTestClient.connect(server.ports.irc);
    client.send('NICK ada');
    client.send('USER ada 0 * :Ada');
    await client.waitFor(/ 433 \* ada :Nickname is reserved by a different account$/);
    client.send('NICK ada_');
    await client.waitFor(/ 001 ada_ /);
    await client.quit();
  });

  it('/msg NickServ REGISTER makes the current nick an account; IDENTIFY logs another connection in and renames it; NickServ is nobody\'s nick', async () => {
    const owner = await IrcTestClient.register(server.ports.irc, 'grace');
    owner.send('PRIVMSG NickServ :HELP');
    await owner.waitFor(/^:NickServ!services@irc\.test NOTICE grace :commands: REGISTER PASSWORD/);
    owner.send(`PRIVMSG NickServ :REGISTER ${PASSWORD}`);
    await owner.waitFor(/NOTICE grace :registered grace: you are logged in/);
    await owner.quit();

    const other = await IrcTestClient.register(server.ports.irc, 'visitor');
    other.send('NICK grace');
    await other.waitFor(/ 433 visitor grace :Nickname is reserved by a different account$/);
    other.send('NICK NickServ');
    await other.waitFor(/ 433 visitor NickServ :Nickname is reserved by a different account$/);
    other.send('PRIVMSG NickServ :IDENTIFY grace wrong password');
    await other.waitFor(/NOTICE visitor :login failed: no account has that name and password$/);
    other.send(`PRIVMSG NickServ :IDENTIFY grace ${PASSWORD}`);
    await other.waitFor(/^:visitor!irc@irc\.test NICK :?grace$/);
    await other.waitFor(/NOTICE grace :you are logged in as grace$/);
    await other.quit();
  });

  it('irc-framework logs in with its account option (SASL PLAIN) and is registered as the account', async () => {
    const client = new IRC.Client({ nick: 'someone_else', username: 'x', gecos: 'X', auto_reconnect: false });
    const registered = new Promise<IrcEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('irc-framework did not register in time')), 5000);
      client.on('registered', (event: IrcEvent) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
    client.connect({ host: '127.0.0.1', port: server.ports.irc, nick: 'someone_else', account: { account: 'ada', password: PASSWORD } });
    const event = await registered;
    assert.equal(event.nick, 'ada');
    assert.ok(client.network.cap.enabled.includes('sasl'));
    client.quit('bye');
  });
});

describe('IRC SASL on a server with a password too (--password and --accounts)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ accounts: true, password: 's3cret', ircPort: await freePort(), ircServerName: 'irc.test' });
    const owner = await LineClient.open(server.ports.line);
    owner.send('/pass s3cret');
    await owner.waitFor('welcome to');
    owner.send(`/register ada ${PASSWORD}`);
    await owner.waitFor('registered ada');
    await owner.close();
  });
  after(async () => {
    await server.close();
  });

  it('PASS is checked first: right, SASL logs in; wrong, 464 and the close before any login', async () => {
    const right = await IrcTestClient.connect(server.ports.irc);
    right.send('PASS s3cret');
    right.send('CAP REQ :sasl');
    right.send('NICK guest');
    right.send('USER guest 0 * :Guest');
    right.send('AUTHENTICATE PLAIN');
    await right.waitFor(/^AUTHENTICATE \+$/);
    right.send(`AUTHENTICATE ${plain('ada', PASSWORD)}`);
    await right.waitFor(/ 903 ada /);
    right.send('CAP END');
    await right.waitFor(/ 001 ada /);
    await right.quit();

    const wrong = await IrcTestClient.connect(server.ports.irc);
    wrong.send('PASS guess');
    wrong.send('CAP REQ :sasl');
    wrong.send('AUTHENTICATE PLAIN');
    await wrong.waitFor(/^AUTHENTICATE \+$/);
    wrong.send(`AUTHENTICATE ${plain('ada', PASSWORD)}`);
    await wrong.waitFor(/ 464 /);
    await wrong.closed;
    assert.ok(!wrong.lines.some((line) => / 90[03] /.test(line)), JSON.stringify(wrong.lines));
  });
});
