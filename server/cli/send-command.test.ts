import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { LineClient, startTestServer } from '../test-support/test-clients.js';

const BIN = fileURLToPath(new URL('../../../bin/switchboard.js', import.meta.url));
const TOKEN = 'ci-token-0123456789abcdef';

/** Runs `switchboard send …` as a process; killed after 15 s so a hang fails the test. */
async function send(args: string[], input: string | null, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'send', ...args], { env: { ...process.env, ...env }, timeout: 15_000 });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(input ?? undefined);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('switchboard send (spawned)', () => {
  let server: RunningSwitchboard;
  let url: string;
  before(async () => {
    server = await startTestServer({ apiTokens: [`ci=${TOKEN}`] });
    url = `http://127.0.0.1:${server.ports.http}`;
  });
  after(async () => {
    await server.close();
  });

  it('posts its arguments, and each stdin line without them; exit 0', async () => {
    const line = await LineClient.connect(server.ports.line);
    try {
      const one = await send(['--server', url, '--room', 'lobby', '--token', TOKEN, 'build', 'passed'], null);
      assert.equal(one.code, 0, one.stderr);
      await line.waitFor(/ ci\[bot\] build passed$/);
      const many = await send(['--server', url, '--room', '#lobby', '--from', 'deploy'], 'first line\n\nsecond line\n', { SWITCHBOARD_API_TOKEN: TOKEN });
      assert.equal(many.code, 0, many.stderr);
      await line.waitFor(/ deploy\[bot\] first line$/);
      await line.waitFor(/ deploy\[bot\] second line$/);
    } finally {
      await line.close();
    }
  });

  it('exits 1 with the server\'s error, 2 without a token', async () => {
    const wrong = await send(['--server', url, '--room', 'lobby', '--token', 'not-the-token-at-all', 'hi'], null);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /401: wrong token/);
    const invalid = await send(['--server', url, '--room', 'no such room', '--token', TOKEN, 'hi'], null);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /400: .*not a room name/);
    const none = await send(['--server', url, '--room', 'lobby', 'hi'], null, { SWITCHBOARD_API_TOKEN: '' });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs a token/);
  });
});
