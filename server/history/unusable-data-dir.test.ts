import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { HISTORY_FILE } from './sqlite-history.js';

/** Longer than any start-up failure takes; a server still running then hangs (the /proc bug). */
const HANG_MS = 10_000;

interface Failure {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `switchboard serve` on `dataDir` and waits for it to exit (SIGKILL after HANG_MS). */
async function serveFails(dataDir: string, pretty = false): Promise<Failure> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--tcp-port', '0', '--line-port', '0', '--http-port', '0', '--irc-port', '0', '--log-pretty', String(pretty), '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  assert.equal(signal, null, `still running ${HANG_MS} ms after start (killed); output so far:\n${stdout}${stderr}`);
  return { code, stdout, stderr };
}

/**
 * What an unusable data dir must look like (the house form of a fixable start-up failure, see
 * server/cli/startup-failure.ts): exit 1, one plain line on stderr, no stack, nothing listening,
 * one fatal JSON record saying the same. Returns the line without its `switchboard: ` prefix.
 */
function onePlainLine(failure: Failure): string {
  const output = `${failure.stdout}${failure.stderr}`;
  assert.equal(failure.code, 1, output);
  assert.match(failure.stderr, /^switchboard: [^\n]+\n$/, output);
  assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  const records = failure.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(!records.some((entry) => String(entry['msg']).startsWith('listening')), output);
  const fatal = records.filter((entry) => entry['level'] === 60);
  assert.equal(fatal.length, 1, output);
  const reason = failure.stderr.slice('switchboard: '.length, -1);
  assert.equal(fatal[0]!['reason'], reason);
  return reason;
}

/** A read-only file system at `path` (root only: a tmpfs mounted ro); false where mount is refused. */
function mountReadOnly(path: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'switchboard-test', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('switchboard serve: an unusable data dir stops the start with one plain line', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-datadir-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('--data-dir /proc/anything: exits 1 at once with one line, instead of looping at 100 % CPU in mkdir', async () => {
    const reason = onePlainLine(await serveFails('/proc/anything'));
    assert.equal(reason, 'data dir /proc/anything cannot be created: /proc does not allow new folders (ENOENT)');
  });

  it('the same on a terminal (pino-pretty): the one line, the reason once, no fatal record repeating it', async () => {
    const failure = await serveFails('/proc/anything/deeper', true);
    assert.equal(failure.code, 1);
    assert.equal(failure.stderr, 'switchboard: data dir /proc/anything/deeper cannot be created: /proc does not allow new folders (ENOENT)\n');
    assert.doesNotMatch(failure.stdout, /FATAL|could not start|\n\s+at /, failure.stdout);
  });

  it('a read-only place: the real reason (EROFS on a read-only mount as root; EACCES on a read-only folder otherwise)', async (t) => {
    const place = join(dir, 'read-only');
    mkdirSync(place);
    if (mountReadOnly(place)) {
      t.diagnostic('as root: a read-only tmpfs mounted there');
      try {
        assert.equal(onePlainLine(await serveFails(join(place, 'data'))), `data dir ${place}/data cannot be created: read-only file system (EROFS)`);
        assert.equal(onePlainLine(await serveFails(place)), `data dir ${place} is not writable: read-only file system (EROFS)`);
      } finally {
        execFileSync('umount', [place]);
      }
      return;
    }
    t.diagnostic('not root: a folder of mode 0500');
    chmodSync(place, 0o500);
    try {
      assert.equal(onePlainLine(await serveFails(join(place, 'data'))), `data dir ${place}/data cannot be created: permission denied (EACCES)`);
      assert.equal(onePlainLine(await serveFails(place)), `data dir ${place} is not writable: permission denied (EACCES)`);
    } finally {
      chmodSync(place, 0o700);
    }
  });

  it('a file where the folder should be: says so', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    assert.equal(onePlainLine(await serveFails(file)), `data dir ${file} cannot be used: it is not a folder`);
    assert.equal(onePlainLine(await serveFails(join(file, 'data'))), `data dir ${file}/data cannot be used: not a directory (ENOTDIR)`);
  });

  it('a corrupt history file: exits 1 before listening, naming the file', async () => {
    const corrupt = join(dir, 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, HISTORY_FILE), 'not a database '.repeat(500));
    assert.equal(
      onePlainLine(await serveFails(corrupt)),
      `cannot use ${join(corrupt, HISTORY_FILE)}: not a Switchboard history, or damaged: file is not a database`,
    );
  });

  it('a data dir another server is using: says exactly that, without guesses', async () => {
    const shared = join(dir, 'shared');
    let running: ServerProcess | undefined;
    try {
      running = await startServerProcess(undefined, ['--data-dir', shared]);
      assert.equal(onePlainLine(await serveFails(shared)), `cannot use ${join(shared, HISTORY_FILE)}: it is in use by another switchboard process`);
    } finally {
      await running?.stop();
    }
  });
});
