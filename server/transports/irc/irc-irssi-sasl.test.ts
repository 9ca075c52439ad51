import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nickKey } from '../../../shared/nick.js';
import type { RunningSwitchboard } from '../../switchboard.js';
import { freePort } from '../../test-support/server-process.js';
import { LineClient, startTestServer } from '../../test-support/test-clients.js';
import { until } from '../../test-support/until.js';

const PASSWORD = 'correct horse battery';

/**
 * Debian's irssi logging in with SASL PLAIN (`/network add -sasl_mechanism plain …`), run in a
 * tmux session of its own as irc-irssi.test.ts runs it: the account's nickname at registration,
 * though irssi asked for another. `npm test` installs irssi and tmux as root.
 */
describe('irssi logs in with SASL PLAIN (--accounts)', () => {
  let server: RunningSwitchboard;
  let home: string;
  const socket = `switchboard-irssi-sasl-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
  const type = (text: string): void => {
    tmux('send-keys', '-t', 'irssi', '-l', text);
    tmux('send-keys', '-t', 'irssi', 'Enter');
  };
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'irssi');
  before(async () => {
    server = await startTestServer({ accounts: true, ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0 });
    home = mkdtempSync(join(tmpdir(), 'switchboard-irssi-sasl-'));
    const owner = await LineClient.open(server.ports.line);
    await owner.waitFor('welcome to');
    owner.send(`/register ada ${PASSWORD}`);
    await owner.waitFor('registered ada');
    await owner.close();
  });
  after(async () => {
    try {
      tmux('kill-server');
    } catch {
      // never started, or irssi's exit already ended the session
    }
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('registers as the account ada (asked for ada_irssi), and talks as ada', { timeout: 30_000 }, async () => {
    tmux('new-session', '-d', '-s', 'irssi', '-x', '200', '-y', '50', 'irssi', `--home=${home}`, '-n', 'ada_irssi');
    await until(() => /Irssi/.test(screen()), 'irssi starts', 10_000);
    type(`/network add -sasl_mechanism plain -sasl_username ada -sasl_password "${PASSWORD}" sb`);
    type(`/server add -network sb 127.0.0.1 ${server.ports.irc}`);
    type('/connect sb');
    await until(() => /Welcome to the \S+ IRC network ada!/.test(screen()), 'irssi is registered as ada', 10_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; the window:\n${screen()}`);
    });
    assert.equal(server.hub.nicks.holder(nickKey('ada'))?.account, nickKey('ada'));
    const line = await LineClient.open(server.ports.line);
    await line.waitFor('welcome to');
    type('/join #lobby');
    await line.waitFor('ada joined (irc)', 10_000);
    type('hello as ada');
    assert.ok((await line.waitFor('hello as ada', 10_000)).endsWith(' ada hello as ada'));
    type('/quit');
    await line.waitFor('ada left', 10_000);
    await line.close();
  });
});
