import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nickKey } from '../../../shared/nick.js';
import type { RunningSwitchboard } from '../../switchboard.js';
import { freePort } from '../../test-support/server-process.js';
import { LineClient, startTestServer } from '../../test-support/test-clients.js';
import { until } from '../../test-support/until.js';
import { onceWithin } from '../../test-support/deadline.js';

function haveIi(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v ii'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** ii's out file of a channel (or of the server), '' until it exists. */
function outOf(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/**
 * Debian's ii, an IRC client nobody here wrote, driven as its users drive it: `/j #lobby` written
 * to the server's `in` FIFO, lines to the channel's `in`, what it shows read from the `out` files.
 * `npm test` installs it as root (server/test-support/ensure-irc-clients.sh); without it this test fails.
 */
describe('ii (Debian package) against the IRC port', () => {
  let server: RunningSwitchboard;
  let dir: string;
  let ii: ChildProcess | null = null;
  before(async () => {
    server = await startTestServer({ ircPort: await freePort(), ircServerName: 'irc.test', presenceDelay: 0 });
    dir = mkdtempSync(join(tmpdir(), 'switchboard-ii-'));
  });
  after(async () => {
    if (ii !== null && ii.exitCode === null) {
      ii.kill();
      await onceWithin(ii, 'exit', 10_000);
    }
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('joins #lobby, talks with a line client both ways, and quits', { timeout: 20_000 }, async () => {
    assert.ok(haveIi(), 'ii is not installed: sudo apt-get install -y ii (npm test does it as root)');
    const child = spawn('ii', ['-s', '127.0.0.1', '-p', String(server.ports.irc), '-n', 'iiuser', '-i', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    ii = child;
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const hostDir = join(dir, '127.0.0.1');
    await until(() => existsSync(join(hostDir, 'in')) && server.hub.nicks.holder(nickKey('iiuser')) !== undefined, `ii registers (${output})`);
    const line = await LineClient.connect(server.ports.line);
    line.send('/nick grace');
    await line.waitFor('known as grace');

    await writeFile(join(hostDir, 'in'), '/j #lobby\n', { flag: 'a' });
    await line.waitFor('iiuser joined (irc)');
    const channelIn = join(hostDir, '#lobby', 'in');
    await until(() => existsSync(channelIn), 'ii opened #lobby');
    await writeFile(channelIn, 'hello from ii\n', { flag: 'a' });
    assert.ok((await line.waitFor('hello from ii')).endsWith(' iiuser hello from ii'));

    line.send('hi ii, grace here');
    const channelOut = join(hostDir, '#lobby', 'out');
    await until(() => /<grace> hi ii, grace here/.test(outOf(channelOut)), `ii shows grace's line: ${outOf(channelOut)}`);

    await writeFile(join(hostDir, 'in'), '/q\n', { flag: 'a' });
    await line.waitFor('iiuser left');
    await until(() => child.exitCode !== null || child.signalCode !== null, 'ii exits after the server closes');
    await line.close();
  });
});
