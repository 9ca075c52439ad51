import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nickKey } from '../../../shared/nick.js';
import type { RunningSwitchboard } from '../../switchboard.js';
import { freePort } from '../../test-support/server-process.js';
import { LineClient, startTestServer } from '../../test-support/test-clients.js';
import { IrssiSession } from '../../test-support/irssi-session.js';

/**
 * Debian's irssi, the IRC client of the "done when", run as a person runs it: in a
 * terminal (IrssiSession: tmux on a socket of its own). `npm test` installs irssi and tmux as
 * root (server/test-support/ensure-irc-clients.sh); without them this test fails.
 */
describe('irssi (Debian package) under tmux against the IRC port', () => {
  let server: RunningSwitchboard;
  let irssi: IrssiSession | undefined;
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0 });
  });
  after(async () => {
    irssi?.close();
    await server.close();
  });

  it('connects, joins #lobby, talks and acts (/me) with a line client both ways, and quits', { timeout: 30_000 }, async () => {
    irssi = IrssiSession.start('irssi', ['-c', '127.0.0.1', '-p', String(server.ports.irc), '-n', 'ada']);
    await irssi.until(() => server.hub.nicks.holder(nickKey('ada')) !== undefined, 'irssi registers as ada');
    const line = await LineClient.connect(server.ports.line);
    line.send('/nick grace');
    await line.waitFor('known as grace');

    irssi.type('/join #lobby');
    await line.waitFor('ada joined (irc)', 10_000);
    await irssi.shows(/\[Users #lobby\]/);
    irssi.type('hello from irssi');
    assert.ok((await line.waitFor('hello from irssi', 10_000)).endsWith(' ada hello from irssi'));
    irssi.type('/me waves from irssi');
    assert.ok((await line.waitFor('waves from irssi', 10_000)).endsWith(' * ada waves from irssi'));
    line.send('hi ada, grace here');
    await irssi.shows(/<\s*grace> hi ada, grace here/);
    line.send('/me waves at irssi');
    await irssi.shows(/\* grace waves at irssi/);

    irssi.type('/quit see you');
    assert.match(await line.waitFor('ada left', 10_000), /ada left \(.*see you\)/);
    await line.close();
  });
});
