import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { BIN } from '../test-support/server-process.js';
import { LineClient, startTestServer } from '../test-support/test-clients.js';

const SECRET = 'cli secret';
/** Longest a command here may take before the test calls it hung. */
const DEADLINE_MS = 10_000;

/** The real CLI with `input` on its stdin: exit code and what it printed. */
async function run(args: string[], input = '', env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout.resume();
  child.stdin.end(input);
  const killer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return { code, stderr };
}

describe('switchboard connect --password', () => {
  let server: RunningSwitchboard;
  let listener: LineClient;
  before(async () => {
    server = await startTestServer({ password: SECRET });
    listener = await LineClient.open(server.ports.line);
    listener.send(`/pass ${SECRET}`);
    await listener.waitFor('welcome to');
  });
  after(async () => {
    await listener.close();
    await server.close();
  });

  it('sends /pass first, from the flag or from SWITCHBOARD_PASSWORD', async () => {
    const flag = await run(['connect', `:${server.ports.tcp}`, '--nick', 'ci', '--password', SECRET], 'built with the flag\n');
    assert.equal(flag.code, 0, flag.stderr);
    await listener.waitFor('ci built with the flag');
    const env = await run(['connect', `:${server.ports.tcp}`, '--nick', 'ci2'], 'built with the env\n', { SWITCHBOARD_PASSWORD: SECRET });
    assert.equal(env.code, 0, env.stderr);
    await listener.waitFor('ci2 built with the env');
  });

  it('a /pass typed as the first line goes out at once, without waiting for the welcome', async () => {
    const typed = await run(['connect', `:${server.ports.tcp}`], `/pass ${SECRET}\n/nick typist\ntyped in\n`, { SWITCHBOARD_PASSWORD: '' });
    assert.equal(typed.code, 0, typed.stderr);
    await listener.waitFor('typist typed in');
  });

  it('without it, the server closes the connection and says why', async () => {
    const missing = await run(['connect', `:${server.ports.tcp}`], 'hello\n', { SWITCHBOARD_PASSWORD: '' });
    assert.match(missing.stderr, /needs a password/);
  });
});

describe('switchboard serve --password-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-pass-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const base = ['serve', '--tcp-port', '0', '--line-port', '0', '--http-port', '0', '--irc-port', '0', '--data-dir', ':memory:', '--log-pretty', 'false'];

  it('refuses --password with --password-file as a usage error', async () => {
    const file = join(dir, 'pw');
    writeFileSync(file, 'x\n');
    const both = await run([...base, '--password', 'x', '--password-file', file]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^switchboard: option '--password <secret>' cannot be used with option '--password-file <file>'.*\n$/);
  });

  it('stops the start in one line for a file that cannot be read or is empty', async () => {
    const missing = await run([...base, '--password-file', join(dir, 'missing')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^switchboard: cannot read --password-file \S+missing: ENOENT\n$/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const blank = await run([...base, '--password-file', empty]);
    assert.equal(blank.code, 1);
    assert.match(blank.stderr, /^switchboard: --password-file \S+empty is empty: its first line is the password\n$/);
  });
});
