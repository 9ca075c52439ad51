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

function have(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian's irssi, the IRC client of the "done when", run as a person runs it: in a
 * terminal (a tmux session of its own, on its own socket), typed into with `send-keys`, read
 * with `capture-pane`. `npm test` installs irssi and tmux as root
 * (server/test-support/ensure-irc-clients.sh); without them this test fails.
 */
describe('irssi (Debian package) under tmux against the IRC port', () => {
  let server: RunningSwitchboard;
  let home: string;
  const socket = `switchboard-irssi-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
  const type = (text: string): void => {
    tmux('send-keys', '-t', 'irssi', '-l', text);
    tmux('send-keys', '-t', 'irssi', 'Enter');
  };
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'irssi');
  /** Waits (up to 10 s: irssi paces what it sends) until irssi's window shows `pattern`; a failure shows the window. */
  const shows = async (pattern: RegExp): Promise<void> => {
    await until(() => pattern.test(screen()), `irssi shows ${String(pattern)}`, 10_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; the window:\n${screen()}`);
    });
  };
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0 });
    home = mkdtempSync(join(tmpdir(), 'switchboard-irssi-'));
  });
  after(async () => {
    try {
      tmux('kill-server');
    } catch {
      // never started, or irssi's exit already ended the session and the server with it
    }
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('connects, joins #lobby, talks and acts (/me) with a line client both ways, and quits', { timeout: 30_000 }, async () => {
    assert.ok(have('irssi') && have('tmux'), 'irssi and tmux are not installed: sudo apt-get install -y irssi tmux (npm test does it as root)');
    tmux('new-session', '-d', '-s', 'irssi', '-x', '200', '-y', '50', 'irssi', `--home=${home}`, '-c', '127.0.0.1', '-p', String(server.ports.irc), '-n', 'ada');
    await until(() => server.hub.nicks.holder(nickKey('ada')) !== undefined, 'irssi registers as ada', 10_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; the window:\n${screen()}`);
    });
    const line = await LineClient.connect(server.ports.line);
    line.send('/nick grace');
    await line.waitFor('known as grace');

    type('/join #lobby');
    await line.waitFor('ada joined (irc)', 10_000);
    await shows(/\[Users #lobby\]/);
    type('hello from irssi');
    assert.ok((await line.waitFor('hello from irssi', 10_000)).endsWith(' ada hello from irssi'));
    type('/me waves from irssi');
    assert.ok((await line.waitFor('waves from irssi', 10_000)).endsWith(' * ada waves from irssi'));
    line.send('hi ada, grace here');
    await shows(/<\s*grace> hi ada, grace here/);
    line.send('/me waves at irssi');
    await shows(/\* grace waves at irssi/);

    type('/quit see you');
    assert.match(await line.waitFor('ada left', 10_000), /ada left \(.*see you\)/);
    await line.close();
  });
});
