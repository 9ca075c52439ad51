import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerEvent } from '../../shared/events.js';
import { nickKey } from '../../shared/nick.js';
import { pino } from 'pino';
import { DEFAULT_CONFIG } from '../config.js';
import { type RunningSwitchboard, startSwitchboard } from '../switchboard.js';
import { IrcTestClient } from '../test-support/irc-client.js';
import { freePort } from '../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';

const PASSWORD = 'correct horse battery';

function noticeCoded(code: string): (event: ServerEvent) => boolean {
  return (event) => event.type === 'notice' && event.code === code;
}

async function loggedIn(client: FramedClient | LineClient, name: string, command: 'register' | 'login' = 'login', password = PASSWORD): Promise<void> {
  await client.waitFor('welcome to');
  client.send(`/${command} ${name} ${password}`);
  await client.waitFor(command === 'register' ? `registered ${name}` : `you are logged in as ${name}`);
}

describe('accounts (--accounts) on the framed, line and WebSocket transports', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ accounts: true, presenceDelay: 0 });
  });
  after(async () => {
    await server.close();
  });

  it('framed: /register takes the name; a second connection cannot /nick to it (nor a look-alike); /login gets it back', async () => {
    const ada = await FramedClient.open(server.ports.tcp);
    await loggedIn(ada, 'ada', 'register');
    assert.ok(ada.received.some((text) => text.includes('is now known as ada')), 'renamed before the reply');
    assert.equal(server.hub.nicks.holder(nickKey('ada'))?.account, nickKey('ada'));

    const other = await FramedClient.open(server.ports.tcp);
    await other.waitFor('welcome to');
    other.send('/nick ada');
    await other.waitFor('nickname refused: ada is a registered account; /login ada PASSWORD to use it');
    other.send('/nick ADA');
    await other.waitFor('nickname refused: ADA is a registered account');
    other.send('/register Ada another password');
    await other.waitFor('cannot register Ada: it is an account already (or looks like one)');
    // Latin cox, then Cyrillic сох (с, о, х): one skeleton, so one account.
    other.send(`/register cox ${PASSWORD}`);
    await other.waitFor('registered cox');
    const third = await FramedClient.open(server.ports.tcp);
    await third.waitFor('welcome to');
    third.send('/register сох another password');
    await third.waitFor('cannot register сох: it is an account already (or looks like one)');
    third.send('/nick сох');
    await third.waitFor('nickname refused: сох is a registered account');
    await third.close();
    assert.equal(server.stats.errors.get('SB_ERR_NICK_REGISTERED'), 3);
    assert.equal(server.stats.errors.get('SB_ERR_ACCOUNT_EXISTS'), 2);
    await ada.close();

    // Its owner gone, the name is still refused to a guest; cox logs in again elsewhere, and ada here.
    other.send(`/login ada ${PASSWORD}`);
    await other.waitFor('you are logged in as cox already');
    await other.close();
    const again = await FramedClient.open(server.ports.tcp);
    await again.waitFor('welcome to');
    again.send('/nick ada');
    await again.waitFor('nickname refused: ada is a registered account');
    again.send(`/login ada ${PASSWORD}`);
    await again.waitFor('is now known as ada');
    await again.waitFor('you are logged in as ada');
    again.send('/nick bob');
    await again.waitFor('nickname refused: you are logged in as ada');
    await again.close();
  });

  it('line: a line typed right after /login is said under the account\'s name; a wrong password is SB_ERR_LOGIN_FAILED', async () => {
    const setup = await LineClient.open(server.ports.line);
    await loggedIn(setup, 'grace', 'register');
    await setup.close();
    const listener = await LineClient.open(server.ports.line);
    await listener.waitFor('welcome to');
    const grace = await LineClient.open(server.ports.line);
    await grace.waitFor('welcome to');
    grace.send('/login grace wrong password');
    await grace.waitFor('login failed: no account has that name and password');
    grace.send('/login nobody-here whatever-it-is');
    await grace.waitFor('login failed: no account has that name and password');
    assert.equal(server.stats.errors.get('SB_ERR_LOGIN_FAILED'), 2);
    grace.socket.write(`/login grace ${PASSWORD}\nfirst words as grace\n`);
    await listener.waitFor(/ grace first words as grace$/);
    await Promise.all([listener.close(), grace.close()]);
  });

  it('a short password, a bad name and a command without one are refused before any hash', async () => {
    const client = await LineClient.open(server.ports.line);
    await client.waitFor('welcome to');
    client.send('/register shorty 1234567');
    await client.waitFor('cannot register shorty: a password has at least 8 bytes');
    client.send(`/register ${'x'.repeat(40)} ${PASSWORD}`);
    await client.waitFor(/cannot register x+: /);
    client.send('/login');
    await client.waitFor('usage: /login NAME PASSWORD');
    client.send(`/register long-one ${'p'.repeat(257)}`);
    await client.waitFor('a password has at most 256 bytes');
    assert.equal(server.hub.accounts?.count, 3, 'ada, cox and grace only');
    await client.close();
  });

  it('WebSocket: /register and /login as page text; a page nick event for a registered name is refused with its code', async () => {
    const page = await WsTestClient.connect(server.ports.http);
    await page.waitFor((event) => event.type === 'joined');
    page.say(`/register linus ${PASSWORD}`);
    await page.waitForText('registered linus');
    await page.close();

    const intruder = await WsTestClient.connect(server.ports.http);
    await intruder.waitFor((event) => event.type === 'joined');
    intruder.send({ type: 'nick', name: 'linus' });
    await intruder.waitFor(noticeCoded('SB_ERR_NICK_REGISTERED'));
    intruder.say(`/login linus ${PASSWORD}`);
    await intruder.waitForText('you are logged in as linus');
    await intruder.close();
  });

  it('a second login of the account takes the nickname, and the older connection is closed', async () => {
    const first = await FramedClient.open(server.ports.tcp);
    await loggedIn(first, 'ada');
    const second = await LineClient.open(server.ports.line);
    await loggedIn(second, 'ada');
    await first.waitFor('error: ada logged in from another connection; closing connection');
    await first.closed;
    assert.ok(second.received.some((text) => text.includes('is now known as ada')), JSON.stringify(second.received));
    await second.close();
  });

  it('a room made by a logged-in member is run by its account: a guest cannot take the name, its owner gets it back', async () => {
    const ada = await LineClient.open(server.ports.line);
    await loggedIn(ada, 'ada');
    ada.send('/join #adas-room');
    await ada.waitFor('you joined #adas-room');
    ada.send('/lock talk');
    await ada.waitFor('locked #adas-room');
    await ada.close();

    const guest = await LineClient.open(server.ports.line);
    await guest.waitFor('welcome to');
    guest.send('/nick ada');
    await guest.waitFor('nickname refused');
    guest.send('/join #adas-room');
    await guest.waitFor('you joined #adas-room');
    guest.send('/unlock talk');
    await guest.waitFor('you are not an operator of #adas-room');
    guest.send(`/login ada ${PASSWORD}`);
    await guest.waitFor('you are logged in as ada');
    guest.send('/unlock talk');
    await guest.waitFor('unlocked #adas-room');
    await guest.close();
  });

  it('a server without --accounts says it has none, and leaves every nickname free', async () => {
    const plain = await startTestServer();
    try {
      const client = await LineClient.open(plain.ports.line);
      await client.waitFor('welcome to');
      client.send(`/login ada ${PASSWORD}`);
      await client.waitFor('this server has no accounts (--accounts)');
      client.send('/nick ada');
      await client.waitFor('is now known as ada');
      await client.close();
    } finally {
      await plain.close();
    }
  });
});

describe('accounts: --admin NAME is a logged-in account; failures from one address lock it out', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ accounts: true, admins: ['root=hunter2'] });
  });
  after(async () => {
    await server.close();
  });

  it('logging in as an --admin name makes a server operator without /oper; /oper still works for a guest', async () => {
    const root = await LineClient.open(server.ports.line);
    await loggedIn(root, 'root', 'register');
    assert.ok(root.received.some((text) => text.includes('you are a server operator (root, --admin)')), JSON.stringify(root.received));
    assert.equal(server.hub.nicks.holder(nickKey('root'))?.serverOperator, true);
    const guest = await LineClient.open(server.ports.line);
    await guest.waitFor('welcome to');
    guest.send('/oper root hunter2');
    await guest.waitFor('you are now a server operator (root)');
    await Promise.all([root.close(), guest.close()]);
  });

  it('after 5 failed logins the address is refused even with the right password (SB_ERR_PASSWORD_LOCKOUT)', async () => {
    const owner = await FramedClient.open(server.ports.tcp);
    await loggedIn(owner, 'mallory-target', 'register');
    await owner.close();
    const guesser = await LineClient.open(server.ports.line);
    await guesser.waitFor('welcome to');
    for (let i = 0; i < 5; i += 1) {
      guesser.send(`/login mallory-target guess number ${i}`);
      await guesser.waitFor('login failed');
    }
    guesser.send(`/login mallory-target ${PASSWORD}`);
    await guesser.waitFor(/too many failed logins from 127\.0\.0\.1; try again in \d+ s/);
    assert.equal(server.stats.errors.get('SB_ERR_LOGIN_FAILED'), 5);
    assert.equal(server.stats.errors.get('SB_ERR_PASSWORD_LOCKOUT'), 1);
    assert.equal(server.hub.nicks.holder(nickKey('mallory-target')), undefined);
    await guesser.close();
  });
});

describe('accounts outlive a restart on the same --data-dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-accounts-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('registered before, the name is still reserved and the password still logs in', async () => {
    const first = await startTestServer({ accounts: true, dataDir: dir });
    const ada = await FramedClient.open(first.ports.tcp);
    await loggedIn(ada, 'ada', 'register');
    await ada.close();
    await first.close();

    const second = await startTestServer({ accounts: true, dataDir: dir });
    try {
      const guest = await LineClient.open(second.ports.line);
      await guest.waitFor('welcome to');
      guest.send('/nick ada');
      await guest.waitFor('nickname refused: ada is a registered account');
      guest.send(`/login ada ${PASSWORD}`);
      await guest.waitFor('you are logged in as ada');
      await guest.close();
    } finally {
      await second.close();
    }
  });
});

describe('accounts: no password in the log', () => {
  it('/register, a failed and a right /login, and IRC SASL log the account and address, never the password', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const config = { ...DEFAULT_CONFIG, tcpPort: 0, linePort: 0, httpPort: 0, ircPort: await freePort(), tlsIrcPort: 0, dataDir: ':memory:', accounts: true };
    const server = await startSwitchboard(config, logger);
    try {
      const client = await LineClient.open(server.ports.line);
      await loggedIn(client, 'ada', 'register');
      await client.close();
      const again = await LineClient.open(server.ports.line);
      await again.waitFor('welcome to');
      again.send('/login ada a wrong password here');
      await again.waitFor('login failed');
      again.send(`/login ada ${PASSWORD}`);
      await again.waitFor('you are logged in as ada');
      await again.close();
      const irc = await IrcTestClient.connect(server.ports.irc);
      irc.send('CAP REQ :sasl');
      irc.send('AUTHENTICATE PLAIN');
      await irc.waitFor(/^AUTHENTICATE \+$/);
      const base64 = Buffer.from(`\0ada\0${PASSWORD}`).toString('base64');
      irc.send(`AUTHENTICATE ${base64}`);
      await irc.waitFor(/ 903 /);
      await irc.quit();
    } finally {
      await server.close();
    }
    const log = lines.join('');
    assert.match(log, /"account":"ada".*"msg":"account registered"/);
    assert.match(log, /"msg":"login failed"/);
    assert.match(log, /"msg":"received \/login"/);
    for (const secret of [PASSWORD, 'a wrong password here', 'correct horse', Buffer.from(`\0ada\0${PASSWORD}`).toString('base64')]) {
      assert.ok(!log.includes(secret), `the log must not hold ${secret}`);
    }
  });
});
