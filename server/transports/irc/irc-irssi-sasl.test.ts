import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nickKey } from '../../../shared/nick.js';
import type { RunningSwitchboard } from '../../switchboard.js';
import { freePort } from '../../test-support/server-process.js';
import { LineClient, startTestServer } from '../../test-support/test-clients.js';
import { IrssiSession } from '../../test-support/irssi-session.js';

const PASSWORD = 'correct horse battery';

/**
 * Debian's irssi logging in with SASL PLAIN (`/network add -sasl_mechanism plain …`), run in a
 * terminal of its own (IrssiSession): the account's nickname at registration,
 * though irssi asked for another. `npm test` installs irssi and tmux as root.
 */
describe('irssi logs in with SASL PLAIN (--accounts)', () => {
  let server: RunningSwitchboard;
  let irssi: IrssiSession | undefined;
  before(async () => {
    server = await startTestServer({ accounts: true, ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0 });
    const owner = await LineClient.open(server.ports.line);
    await owner.waitFor('welcome to');
    owner.send(`/register ada ${PASSWORD}`);
    await owner.waitFor('registered ada');
    await owner.close();
  });
  after(async () => {
    irssi?.close();
    await server.close();
  });

  it('registers as the account ada (asked for ada_irssi), and talks as ada', { timeout: 30_000 }, async () => {
    irssi = IrssiSession.start('irssi-sasl', ['-n', 'ada_irssi']);
    await irssi.shows(/Irssi/);
    irssi.type(`/network add -sasl_mechanism plain -sasl_username ada -sasl_password "${PASSWORD}" sb`);
    irssi.type(`/server add -network sb 127.0.0.1 ${server.ports.irc}`);
    irssi.type('/connect sb');
    await irssi.shows(/Welcome to the \S+ IRC network ada!/);
    assert.equal(server.hub.nicks.holder(nickKey('ada'))?.account, nickKey('ada'));
    const line = await LineClient.open(server.ports.line);
    await line.waitFor('welcome to');
    irssi.type('/join #lobby');
    await line.waitFor('ada joined (irc)', 10_000);
    irssi.type('hello as ada');
    assert.ok((await line.waitFor('hello as ada', 10_000)).endsWith(' ada hello as ada'));
    irssi.type('/quit');
    await line.waitFor('ada left', 10_000);
    await line.close();
  });
});
