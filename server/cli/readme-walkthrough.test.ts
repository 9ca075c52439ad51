import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { DEFAULT_HTTP_PORT, DEFAULT_LINE_PORT, DEFAULT_TCP_PORT } from '../../shared/limits.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { BIN, freePort } from '../test-support/server-process.js';
import { FramedClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';

const ROOT = dirname(dirname(BIN));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** pino-pretty's `[HH:MM:SS.mmm]` and colours, which differ from run to run. */
function normalise(line: string): string {
  return stripVTControlCharacters(line).replace(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\]/, '[TIME]');
}

describe("README's walkthrough is what a user sees", () => {
  it('the start-up line it quotes is the one `npm start` prints on a terminal', async () => {
    const ports = { tcp: await freePort(), line: await freePort(), http: await freePort() };
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-readme-'));
    // What `npm start` runs, with the logs a terminal gets (pino-pretty), on free ports.
    const args = ['serve', '--tcp-port', String(ports.tcp), '--line-port', String(ports.line), '--http-port', String(ports.http), '--irc-port', '0', '--data-dir', dataDir, '--log-pretty', 'true'];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      await until(() => output.includes('listening: '), `the listening line in ${output}`, 15_000);
      const printed = normalise(output.split('\n').find((line) => line.includes('listening: '))!)
        .replaceAll(`:${ports.http}/`, `:${DEFAULT_HTTP_PORT}/`)
        .replaceAll(`:${ports.tcp},`, `:${DEFAULT_TCP_PORT},`)
        .replace(new RegExp(`:${ports.line}$`), `:${DEFAULT_LINE_PORT}`);
      const quoted = README.split('\n').filter((line) => line.includes('listening: ')).map(normalise);
      assert.deepEqual(quoted, [printed]);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('it runs the client through the launcher, never npx (which installs the project into its cache and rebuilds it)', () => {
    // What README tells a user to type: the `$ ` lines of its console blocks and its code spans.
    const typed = [...README.matchAll(/^\$ (.+)$/gm)].map((match) => match[1]!);
    const spans = [...README.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);
    assert.deepEqual([...typed, ...spans].filter((command) => /(^|\| *)npx\b/.test(command)), []);
    const connects = [...typed, ...spans.filter((span) => span.includes('| '))].filter((command) => /(^|\s)connect\b/.test(command)); // the subcommand, not s_client's -connect
    assert.ok(connects.length >= 2, `the walkthrough's connect commands: ${connects.join('\n')}`);
    for (const command of connects) assert.match(command, /(\.\/bin\/switchboard\.js|npm run) connect/);
  });
});

describe('npm run connect (spawned through npm)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('chats without building anything', async () => {
    const built = statSync(join(ROOT, 'dist', 'server', 'cli', 'main.js')).mtimeMs;
    const listener = await FramedClient.connect(server.ports.tcp);
    const npm = spawn('npm', ['run', '--silent', 'connect', '--', `127.0.0.1:${server.ports.tcp}`, '--nick', 'runner'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let errors = '';
    npm.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    npm.stdin.end('hello through npm run\n');
    const [code] = (await once(npm, 'exit')) as [number | null];
    assert.equal(code, 0, errors);
    assert.equal(seedDecode(await listener.waitFor('hello through')), 'runner hello through npm run');
    assert.equal(statSync(join(ROOT, 'dist', 'server', 'cli', 'main.js')).mtimeMs, built, 'dist/ was not rebuilt');
    await listener.close();
  });
});
