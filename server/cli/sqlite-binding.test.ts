import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN } from '../test-support/server-process.js';

const ROOT = dirname(dirname(BIN));

/**
 * A copy of the installed project as npm leaves it when better-sqlite3's install script did not
 * run (not in allowScripts, or --ignore-scripts): the package is there, its build/ is not.
 * Every other dependency is a link to the real one.
 */
function projectWithoutSqliteBinding(): string {
  const copy = mkdtempSync(join(tmpdir(), 'switchboard-no-binding-'));
  cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
  for (const folder of ['server', 'shared']) cpSync(join(ROOT, 'dist', folder), join(copy, 'dist', folder), { recursive: true });
  mkdirSync(join(copy, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === 'better-sqlite3' || entry.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(copy, 'node_modules', entry));
  }
  const sqlite = join(ROOT, 'node_modules', 'better-sqlite3');
  for (const part of ['package.json', 'lib']) cpSync(join(sqlite, part), join(copy, 'node_modules', 'better-sqlite3', part), { recursive: true });
  return copy;
}

async function run(bin: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return { code, stdout, stderr };
}

describe('switchboard serve without better-sqlite3\'s native binding (spawned from a copy of the project)', () => {
  let copy: string;
  before(() => {
    copy = projectWithoutSqliteBinding();
  });
  after(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('exits 1 before listening, with one line that says what is missing and how to build it', async () => {
    const result = await run(join(copy, 'bin', 'switchboard.js'), ['serve', '--tcp-port', '0', '--line-port', '0', '--http-port', '0', '--irc-port', '0', '--data-dir', ':memory:', '--log-pretty', 'false']);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.equal(
      result.stderr,
      "switchboard: better-sqlite3's native binding does not load (Could not locate the bindings file); " +
        'run `npm rebuild better-sqlite3` in the project folder (npm runs its build only if package.json\'s allowScripts lists it)\n',
    );
    assert.equal(result.stdout, '', 'nothing started, nothing logged');
  });

  it('the rest of the CLI does not need it', async () => {
    const result = await run(join(copy, 'bin', 'switchboard.js'), ['connect', '--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: switchboard connect/);
  });
});
