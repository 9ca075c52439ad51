import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, NODE_FLAGS } from '../test-support/server-process.js';

const PASSWORD = 'server-password-in-the-file';
const TOKEN = 'api-token-0123456789abcdef';
const ADMIN_SECRET = 'operator-secret-xyz';
const HOOK_SECRET = 'webhook-key-0123456789';

/** `switchboard ARGS` with only `env`'s SWITCHBOARD_* variables. */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SWITCHBOARD_')));
  const result = spawnSync(process.execPath, [...NODE_FLAGS, BIN, ...args], { encoding: 'utf8', env: { ...clean, ...env }, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('switchboard config check / config print (spawned)', () => {
  let dir: string;
  let good: string;
  let bad: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
    good = join(dir, 'good.toml');
    writeFileSync(
      good,
      `[limits]\nrate_limit = 5\n\n[auth]\npassword = "${PASSWORD}"\n[[auth.admins]]\nname = "root"\nsecret = "${ADMIN_SECRET}"\n\n` +
        `[api]\ntokens = [{ name = "ci", token = "${TOKEN}" }]\n\n[[webhooks.targets]]\nurl = "https://hooks.example/x"\nsecret = "${HOOK_SECRET}"\n`,
    );
    bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[limits]\nrate_limit = -1\nrate_burst = "9"\n[tls]\nonly = 1\n[nope]\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check: a valid file exits 0', () => {
    const result = run(['config', 'check', good]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${good}: ok\n`);
    assert.equal(result.stderr, '');
  });

  it('check: exits 1 with one line per problem, each with file:line: key', () => {
    const result = run(['config', 'check', bad]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.deepEqual(result.stderr.trimEnd().split('\n'), [
      `${bad}:2: limits.rate_limit: must be a whole number ≥ 0 (got -1)`,
      `${bad}:3: limits.rate_burst: must be an integer`,
      `${bad}:5: tls.only: must be true or false`,
      `${bad}:6: nope: unknown table; the tables are listeners, irc, tls, auth, http, limits, rooms, history, redis, api, webhooks, log`,
    ]);
  });

  it('check: a missing file, and a password_file that cannot be read, exit 1', () => {
    const missing = run(['config', 'check', join(dir, 'missing.toml')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /missing\.toml: cannot read the configuration file: ENOENT/);
    const withFile = join(dir, 'with-file.toml');
    writeFileSync(withFile, '[auth]\n\npassword_file = "no-such-password"\n');
    const unreadable = run(['config', 'check', withFile]);
    assert.equal(unreadable.status, 1);
    assert.match(unreadable.stderr, /with-file\.toml:3: auth\.password_file: cannot read --password-file .*no-such-password: ENOENT/);
  });

  it('print: every value with its source; secrets as ***', () => {
    const result = run(['config', 'print', '--config', good, '--rate-burst', '7', '--redis', 'redis://:redis-pw@127.0.0.1:6379'], { SWITCHBOARD_MAX_ROOMS: '12' });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    for (const expected of [
      'rate_limit = 5  # file',
      'rate_burst = 7  # flag',
      'max = 12  # env',
      'rate_limit_bytes = 262144  # default',
      'password = "***"  # file',
      'admins = [{ name = "root", secret = "***" }]  # file',
      'tokens = [{ name = "ci", token = "***" }]  # file',
      'targets = [{ url = "https://hooks.example/x", secret = "***" }]  # file',
      'url = "redis://:***@127.0.0.1:6379"  # flag',
    ]) {
      assert.ok(lines.includes(expected), `missing ${expected} in:\n${result.stdout}`);
    }
    for (const secret of [PASSWORD, TOKEN, ADMIN_SECRET, HOOK_SECRET, 'redis-pw']) assert.ok(!result.stdout.includes(secret), `${secret} shown`);
  });

  it('print: SWITCHBOARD_CONFIG names the file; a bad file exits 1', () => {
    const fromEnv = run(['config', 'print'], { SWITCHBOARD_CONFIG: good });
    assert.ok(fromEnv.stdout.split('\n').includes('rate_limit = 5  # file'), fromEnv.stdout);
    const broken = run(['config', 'print', '--config', bad]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /bad\.toml:2: limits\.rate_limit: /);
  });

  it('serve refuses a bad file before opening anything, one line per problem', () => {
    const result = run(['serve', '--config', bad]);
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trimEnd().split('\n').length, 4, result.stderr);
    assert.match(result.stderr, /^switchboard: .*bad\.toml:2: limits\.rate_limit: /);
  });
});
