import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { formatProblem, parseConfigText } from './config-file.js';
import { configFileOption, serveOptions } from './config-options.js';
import { resolveConfig } from './config-resolve.js';

/** Problems of `text` as `config check` prints them. */
function problems(text: string): string[] {
  return parseConfigText('switchboard.toml', text, serveOptions()).problems.map(formatProblem);
}

/** A `serve`-like command parsed from `argv` with `env` as the environment. */
function parsed(argv: string[], env: Record<string, string>): Command {
  const command = new Command('serve').exitOverride();
  command.addOption(configFileOption());
  for (const option of serveOptions()) command.addOption(option);
  const saved = { ...process.env };
  try {
    for (const key of Object.keys(process.env)) if (key.startsWith('SWITCHBOARD_')) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, env);
    command.parse(argv, { from: 'user' });
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, saved);
  }
  return command;
}

describe('config file: types, values and unknown keys name file:line:key', () => {
  it('a valid file gives option values as the flags would', () => {
    const file = parseConfigText('switchboard.toml', '[limits]\nrate_limit = 5\n[history]\nretain = "7d"\n[http]\nallowed_origins = ["https://a.example"]\n', serveOptions());
    assert.deepEqual(file.problems, []);
    assert.equal(file.values.get('rateLimit'), 5);
    assert.deepEqual(file.values.get('historyRetain'), { kind: 'age', ms: 7 * 86_400_000 });
    assert.deepEqual(file.values.get('allowedOrigins'), ['https://a.example']);
  });

  it('unknown tables and keys, with the line they are on', () => {
    assert.deepEqual(problems('[limits]\nrate_limit = 5\n\nrate_limt = 3\n'), [
      'switchboard.toml:4: limits.rate_limt: unknown key (did you mean limits.rate_limit?); [limits] has max_payload, max_input_bytes, write_deadline, max_pending_bytes, max_output_bytes, rate_limit, rate_burst, rate_limit_bytes, rate_burst_bytes, flood_disconnect, max_input_queue, max_connections, max_connections_per_ip, ws_ping_interval, idle_timeout, presence_delay, shutdown_timeout',
    ]);
    assert.match(problems('# comment\n[lmits]\nx = 1\n')[0]!, /^switchboard\.toml:2: lmits: unknown table \(did you mean limits\?\); the tables are listeners, /);
    assert.match(problems('[listeners]\nrate_limit = 1\n')[0]!, /^switchboard\.toml:2: listeners\.rate_limit: unknown key \(did you mean limits\.rate_limit\?\)/);
  });

  it('wrong types', () => {
    assert.deepEqual(problems('[limits]\n\nrate_limit = "5"\nflood_disconnect = true\n[tls]\nonly = "yes"\n[http]\nallowed_hosts = "a.example"\n'), [
      'switchboard.toml:3: limits.rate_limit: must be an integer',
      'switchboard.toml:4: limits.flood_disconnect: must be a number',
      'switchboard.toml:6: tls.only: must be true or false',
      'switchboard.toml:8: http.allowed_hosts: must be an array of strings (["a", "b"])',
    ]);
    assert.deepEqual(problems('limits = 3\n'), ['switchboard.toml:1: limits: must be a table ([limits])']);
  });

  it('bad values, in the words of the flag\'s parser', () => {
    assert.deepEqual(problems('[limits]\nrate_burst = 0\n[listeners]\ntcp_port = 70000\n[log]\nlevel = "loud"\n'), [
      'switchboard.toml:2: limits.rate_burst: must be a positive integer (got 0)',
      'switchboard.toml:4: listeners.tcp_port: must be a port (0-65535; 0 picks a free one) (got 70000)',
      'switchboard.toml:6: log.level: Allowed choices are fatal, error, warn, info, debug, trace, silent',
    ]);
    assert.match(problems('[history]\n\nretain = "soon"\n')[0]!, /^switchboard\.toml:3: history\.retain: "soon" is neither a message count/);
  });

  it('arrays of tables: tokens, operators and webhooks, checked entry by entry', () => {
    const file = parseConfigText(
      'switchboard.toml',
      '[[api.tokens]]\nname = "ci"\ntoken = "0123456789abcdef"\n[[auth.admins]]\nname = "root"\nsecret = "s3cret"\n[[webhooks.targets]]\nurl = "https://h.example/x"\nroom = "#ops"\n',
      serveOptions(),
    );
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.values.get('apiToken'), ['ci=0123456789abcdef']);
    assert.deepEqual(file.values.get('admin'), ['root=s3cret']);
    assert.deepEqual(file.values.get('webhook'), ['#ops=https://h.example/x']);
    assert.deepEqual(problems('[api]\nrate_limit = 1\n\n[[api.tokens]]\nname = "ci"\ntoken = "short"\n'), [
      'switchboard.toml:4: api.tokens: API token "ci": the token must have at least 16 characters (openssl rand -hex 24 makes one)',
    ]);
    assert.deepEqual(problems('[api]\ntokens = ["ci=0123456789abcdef"]\n'), ['switchboard.toml:2: api.tokens: must be an array of tables with name, token']);
    assert.deepEqual(problems('[[webhooks.targets]]\nroom = "#ops"\n'), ['switchboard.toml:1: webhooks.targets: entry 1: url is missing']);
  });

  it('a syntax error gives smol-toml\'s line', () => {
    const [problem] = problems('[limits]\nrate_limit = 5\nrate_burst = = 3\n');
    assert.match(problem!, /^switchboard\.toml:3: TOML syntax: /);
  });

  it('password and password_file together are refused', () => {
    assert.deepEqual(problems('[auth]\npassword = "a"\npassword_file = "/x"\n'), ['switchboard.toml:3: auth.password_file: give auth.password or auth.password_file, not both']);
  });
});

describe('precedence: flag > env > file > default', () => {
  it('each layer wins over the ones below it, and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-precedence-'));
    try {
      const file = join(dir, 'switchboard.toml');
      writeFileSync(file, '[limits]\nrate_limit = 3\nrate_burst = 4\nrate_limit_bytes = 5\n[auth]\npassword_file = "secret.txt"\n');
      const command = parsed(['--config', file, '--rate-limit', '1'], { SWITCHBOARD_RATE_LIMIT: '2', SWITCHBOARD_RATE_BURST: '6' });
      const { config, effective } = resolveConfig(command, false);
      assert.equal(config.rateLimit, 1);
      assert.equal(effective.sources.get('rateLimit'), 'flag');
      assert.equal(config.rateBurst, 6);
      assert.equal(effective.sources.get('rateBurst'), 'env');
      assert.equal(config.rateLimitBytes, 5);
      assert.equal(effective.sources.get('rateLimitBytes'), 'file');
      assert.equal(config.rateBurstBytes, 256 * 1024);
      assert.equal(effective.sources.get('rateBurstBytes'), 'default');
      // A path in the file is relative to the file's folder.
      assert.equal(config.passwordFile, join(dir, 'secret.txt'));
      // SWITCHBOARD_CONFIG names the file too; a --password flag hides the file's password_file.
      const fromEnv = resolveConfig(parsed(['--password', 'flag-secret'], { SWITCHBOARD_CONFIG: file }), false);
      assert.equal(fromEnv.config.rateLimit, 3);
      assert.equal(fromEnv.config.password, 'flag-secret');
      assert.equal(fromEnv.config.passwordFile, null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
