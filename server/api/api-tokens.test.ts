import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { apiOptions, toApiConfig } from './api-config.js';
import { ApiConfigError, ApiTokens, readTokensFile } from './api-tokens.js';

const A = 'a-token-0123456789abcdef';
const B = 'b-token-0123456789abcdef';

/** `serve`'s API flags as commander parses them, with `env` as the environment. */
function parse(args: string[], env: Record<string, string> = {}): ReturnType<typeof toApiConfig> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const command = new Command('serve').exitOverride().configureOutput({ writeErr: () => undefined });
    for (const option of apiOptions()) command.addOption(option);
    command.parse(args, { from: 'user' });
    return toApiConfig(command.opts());
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
  }
}

describe('API tokens', () => {
  it('knows each token\'s bot, and nothing else', () => {
    const tokens = new ApiTokens([`ci=${A}`, `deploy=${B}`]);
    assert.equal(tokens.size, 2);
    assert.equal(tokens.verify(A), 'ci');
    assert.equal(tokens.verify(B), 'deploy');
    assert.equal(tokens.verify(`${A}x`), null);
    assert.equal(tokens.verify(''), null);
    assert.equal(new ApiTokens([]).size, 0);
  });

  it('refuses a bad name, a short token, a missing =, a name twice, without showing the token', () => {
    assert.throws(() => new ApiTokens([`c i=${A}`]), ApiConfigError);
    assert.throws(() => new ApiTokens(['ci=short']), /at least 16 characters/);
    assert.throws(() => new ApiTokens(['ci']), /at least 16 characters/);
    assert.throws(() => new ApiTokens([`ci=${A}`, `CI=${B}`]), /given twice/);
    assert.throws(() => new ApiTokens([`ci[bot]=${A}`]), (error: Error) => !error.message.includes(A));
  });

  it('reads a tokens file: one NAME=TOKEN a line, comments and blank lines skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-tokens-'));
    try {
      const file = join(dir, 'tokens');
      writeFileSync(file, `# bots\nci=${A}\n\r\n  deploy=${B}  \r\n`);
      assert.deepEqual(readTokensFile(file), [`ci=${A}`, `deploy=${B}`]);
      assert.throws(() => readTokensFile(join(dir, 'missing')), /cannot read --api-tokens-file .*ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--api-token and --webhook repeat; in the environment tokens are comma-separated, webhooks space-separated', () => {
    assert.deepEqual(parse(['--api-token', `ci=${A}`, '--api-token', `deploy=${B}`]).apiTokens, [`ci=${A}`, `deploy=${B}`]);
    assert.deepEqual(parse([], { SWITCHBOARD_API_TOKENS: `ci=${A}, deploy=${B}` }).apiTokens, [`ci=${A}`, `deploy=${B}`]);
    const config = parse(['--webhook', 'http://a.test/', '--webhook', 'ops=http://b.test/', '--api-rate-limit', '5']);
    assert.deepEqual(config.webhooks, ['http://a.test/', 'ops=http://b.test/']);
    // Webhooks keep their commas (a URL's query, the keyed form); several in the environment are space-separated.
    const keyed = 'room=#ops,url=http://c.test/?a=1,2,secret=0123456789abcdef';
    assert.deepEqual(parse(['--webhook', keyed]).webhooks, [keyed]);
    assert.deepEqual(parse([], { SWITCHBOARD_WEBHOOKS: `http://a.test/ ${keyed}` }).webhooks, ['http://a.test/', keyed]);
    assert.equal(config.apiRateLimit, 5);
    assert.deepEqual(parse([]).apiTokens, []);
    assert.throws(() => parse(['--webhook-secret', 'short']), /at least 16/);
  });
});
