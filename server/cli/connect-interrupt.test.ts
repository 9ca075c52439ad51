import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { BIN } from '../test-support/server-process.js';
import { FramedClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  errors: () => string;
  exit: Promise<number | null>;
}

function record(child: ChildProcessWithoutNullStreams): Spawned {
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => out, errors: () => err, exit };
}

/** Quotes one word for the shell `script -c` runs. */
function shellWord(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Resolves with the exit code, or rejects when the process is still running after `timeoutMs`. */
async function exitWithin(spawned: Spawned, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${timeoutMs} ms after Ctrl-C; output: ${JSON.stringify(spawned.output())}`)), timeoutMs);
  });
  try {
    return await Promise.race([spawned.exit, late]);
  } finally {
    clearTimeout(timer);
    if (spawned.child.exitCode === null) spawned.child.kill('SIGKILL');
  }
}

describe('switchboard connect: Ctrl-C ends the line and exits 130 (spawned)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('on a terminal (a pty through script(1)): the half-typed line is ended, exit 130, no error printed, the member leaves', async () => {
    const listener = await FramedClient.connect(server.ports.tcp);
    const command = [process.execPath, BIN, 'connect', `127.0.0.1:${server.ports.tcp}`, '--nick', 'typist'].map(shellWord).join(' ');
    // -e: script exits with the child's status; -q: no banner; the log file is /dev/null.
    const cli = record(spawn('script', ['-qefc', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } }));
    await until(() => cli.output().includes('welcome to'), `welcome in ${JSON.stringify(cli.output())}`);
    await listener.waitFor('known as typist');
    // Typed again if no echo comes: once in CI the first keystrokes through script(1)'s pty were
    // never echoed (the welcome and prompt were there). A line typed twice is still one line
    // ending in the text, which is all that is asserted of it.
    for (let attempt = 1; ; attempt += 1) {
      cli.child.stdin.write('half-typed');
      try {
        await until(() => cli.output().endsWith('half-typed'), `the typed text echoed in ${JSON.stringify(cli.output())}`, 2000);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    cli.child.stdin.write('\u0003');

    assert.equal(await exitWithin(cli, 5000), 130);
    assert.match(cli.output(), /half-typed\r?\n$/, 'the line being typed is ended, so the shell prompt starts on its own line');
    assert.doesNotMatch(cli.output(), /switchboard: /, 'no error message');
    assert.equal(seedDecode(await listener.waitFor('typist left')), '*** typist left');
    assert.ok(!listener.received.some((payload) => payload.includes('half-typed')), 'the unsent line was not sent');
    await listener.close();
  });

  it('piped (SIGINT from the shell): exit 130, nothing on stderr', async () => {
    const listener = await FramedClient.connect(server.ports.tcp);
    const cli = record(spawn(process.execPath, [BIN, 'connect', `127.0.0.1:${server.ports.tcp}`, '--nick', 'piped'], { env: { ...process.env, NO_COLOR: '1' } }));
    await until(() => cli.output().includes('welcome to'), `welcome in ${cli.output()}`);
    await listener.waitFor('known as piped');
    cli.child.kill('SIGINT');

    assert.equal(await exitWithin(cli, 5000), 130, cli.errors());
    assert.equal(cli.errors(), '');
    assert.equal(seedDecode(await listener.waitFor('piped left')), '*** piped left');
    await listener.close();
  });
});
