import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Command } from 'commander';
import { serveOptions } from '../config-options.js';
import { toServerConfig } from '../config.js';
import { adminSecret, resolveAdmins } from './admin-source.js';

describe('--admin and --admin-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-admins-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts every NAME=SECRET of the flags and the file, and nothing else', () => {
    const file = join(dir, 'admins');
    writeFileSync(file, '# operators\nroot=a=b\r\n\nops=second\n');
    const admins = resolveAdmins(['cli=one'], file);
    assert.ok(admins !== null);
    for (const [name, secret] of [['cli', 'one'], ['root', 'a=b'], ['ops', 'second']] as const) {
      assert.equal(admins.check('10.0.0.1', adminSecret(name, secret), 0).outcome, 'ok', name);
    }
    assert.equal(admins.check('10.0.0.1', adminSecret('root', 'one'), 0).outcome, 'wrong');
    assert.equal(resolveAdmins([], null), null);
  });

  it('--admin is repeatable and must be NAME=SECRET', () => {
    const parse = (argv: string[]): Record<string, unknown> => {
      const command = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
      for (const option of serveOptions()) command.addOption(option);
      return command.parse(argv, { from: 'user' }).opts();
    };
    assert.deepEqual(toServerConfig(parse(['--admin', 'root=s3cret', '--admin', 'ops=x y']), false).admins, ['root=s3cret', 'ops=x y']);
    assert.deepEqual(toServerConfig(parse([]), false).admins, []);
    assert.throws(() => parse(['--admin', 'root']), /NAME=SECRET/);
  });

  it('stops the start on a file that cannot be read or a line that is not NAME=SECRET', () => {
    assert.throws(() => resolveAdmins([], join(dir, 'missing')), { code: 'SB_ERR_ADMIN_FILE', message: /cannot read --admin-file .*ENOENT/ });
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'root=ok\njust-a-name\n');
    assert.throws(() => resolveAdmins([], bad), { code: 'SB_ERR_ADMIN_FILE', message: /line 2: expected NAME=SECRET/ });
  });
});
