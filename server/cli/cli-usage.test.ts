import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN } from '../test-support/server-process.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Longest the launcher may take to answer a usage question. */
const DEADLINE_MS = 10_000;

async function switchboard(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  assert.equal(signal, null, `switchboard ${args.join(' ')} still running after ${DEADLINE_MS} ms`);
  return { code, stdout, stderr };
}

const packageVersion = (JSON.parse(readFileSync(join(BIN, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('switchboard: usage errors are one line, exit 2 (spawned)', () => {
  const cases: [string[], string][] = [
    [['serve', '--tcp-prot', '1'], "switchboard: unknown option '--tcp-prot' (Did you mean --tcp-port?); see 'switchboard serve --help'"],
    [['serve', '--tcp-port', 'abc'], 'switchboard: option \'--tcp-port <port>\' argument \'abc\' is invalid. "abc" is not a port (0-65535; 0 picks a free one); see \'switchboard serve --help\''],
    [['connect', '--nik', 'ada'], "switchboard: unknown option '--nik' (Did you mean --nick?); see 'switchboard connect --help'"],
    [['connect', 'a', 'b'], "switchboard: too many arguments for 'connect'. Expected 1 argument but got 2; see 'switchboard connect --help'"],
    [['serv'], "switchboard: unknown command 'serv' (Did you mean serve?); see 'switchboard --help'"],
  ];
  for (const [args, line] of cases) {
    it(`switchboard ${args.join(' ')}`, async () => {
      const run = await switchboard(args);
      assert.equal(run.stderr, `${line}\n`);
      assert.equal(run.stdout, '');
      assert.equal(run.code, 2);
    });
  }

  it('--help still prints the whole help, to stdout, exit 0', async () => {
    const run = await switchboard(['serve', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Usage: switchboard serve \[options\]/);
    assert.match(run.stdout, /--tcp-port <port>/);
    assert.equal(run.stderr, '');
  });
});

describe('switchboard --version (spawned)', () => {
  for (const flag of ['--version', '-v']) {
    it(`${flag} prints package.json's version, exit 0`, async () => {
      const run = await switchboard([flag]);
      assert.deepEqual(run, { code: 0, stdout: `${packageVersion}\n`, stderr: '' });
    });
  }
});
