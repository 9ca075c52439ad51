import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN } from '../test-support/server-process.js';
import { type IssuedCertificate, type TestPki, createTestPki } from '../test-support/test-certificates.js';
import { onceWithin } from '../test-support/deadline.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Longest a failing start may take before the test calls it hung. */
const START_DEADLINE_MS = 10_000;

/** The real `switchboard serve` with these flags after defaults for a test (JSON logs, ports 0). */
async function serve(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [BIN, 'serve', '--tcp-port', '0', '--line-port', '0', '--http-port', '0', '--irc-port', '0', '--tls-irc-port', '0', '--log-pretty', 'false', '--data-dir', ':memory:', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), START_DEADLINE_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  assert.equal(signal, null, `still running ${START_DEADLINE_MS} ms after a start that should fail:\n${stdout}${stderr}`);
  return { code, stdout, stderr };
}

/** A port held by another listener for the duration of `body`. */
async function withPortInUse<T>(body: (port: number) => Promise<T>): Promise<T> {
  const blocker = net.createServer();
  blocker.listen(0, '127.0.0.1');
  await onceWithin(blocker, 'listening');
  try {
    return await body((blocker.address() as net.AddressInfo).port);
  } finally {
    blocker.close();
  }
}

function logEntries(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** What a fixable start-up failure looks like: that one line on stderr, exit 1, no stack anywhere, never listening. */
function assertOnePlainLine(run: Run, line: string): void {
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.code, 1, output);
  assert.equal(run.stderr, `${line}\n`);
  assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  const log = logEntries(run.stdout);
  assert.ok(!log.some((entry) => String(entry['msg']).startsWith('listening')), output);
  assert.ok(!log.some((entry) => entry['level'] === 50), `no error-level record:\n${output}`);
  // With JSON logs, one fatal record says why, for whoever reads the logs.
  const fatal = log.filter((entry) => entry['level'] === 60);
  assert.equal(fatal.length, 1, output);
  assert.equal(fatal[0]!['msg'], 'could not start');
  assert.equal(`switchboard: ${String(fatal[0]!['reason'])}`, line);
}

describe('switchboard serve: a start-up failure is one plain line naming the flag, exit 1 (spawned)', () => {
  for (const which of ['tcp', 'line', 'http'] as const) {
    it(`--${which}-port already in use`, async () => {
      await withPortInUse(async (port) => {
        const run = await serve([`--${which}-port`, String(port)]);
        assertOnePlainLine(run, `switchboard: port ${port} (--${which}-port) is already in use`);
      });
    });
  }

  it('--host that is not an address of this machine (EADDRNOTAVAIL)', async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
    const run = await serve(['--host', '192.0.2.1']);
    assertOnePlainLine(run, 'switchboard: cannot listen on 192.0.2.1 (--host): not an address of this machine');
  });

  it('--host that does not resolve', async () => {
    // .invalid never resolves (RFC 2606), and fails without asking the network.
    const run = await serve(['--host', 'no-such-host.invalid']);
    assertOnePlainLine(run, 'switchboard: cannot listen on no-such-host.invalid (--host): no such host');
  });

  it('an unusable data dir: the history store\'s own message, as one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-corrupt-'));
    try {
      writeFileSync(join(dir, 'history.sqlite3'), 'not a database '.repeat(500));
      const run = await serve(['--data-dir', dir]);
      assertOnePlainLine(run, `switchboard: cannot use ${join(dir, 'history.sqlite3')}: not a Switchboard history, or damaged: file is not a database`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bot API token or webhook that cannot be used: one line, the token never shown', async () => {
    const short = await serve(['--api-token', 'ci=tooshort']);
    assertOnePlainLine(short, 'switchboard: API token "ci": the token must have at least 16 characters (openssl rand -hex 24 makes one)');
    assert.doesNotMatch(short.stdout + short.stderr, /tooshort/);
    assertOnePlainLine(await serve(['--webhook', 'ops=ftp://example.test/']), 'switchboard: --webhook ops=ftp://example.test/: not an http(s) URL (the form is [ROOM=]URL)');
  });

  it('two flags with the same port: said before anything starts, naming both', async () => {
    await withPortInUse(async (port) => {
      const run = await serve(['--tcp-port', String(port + 1), '--http-port', String(port + 1)]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.equal(run.stderr, `switchboard: --tcp-port and --http-port are both ${port + 1}; each needs its own port\n`);
      assert.equal(run.stdout, '', 'nothing started, nothing logged');
    });
  });

  it('the stack is still there at --log-level debug', async () => {
    await withPortInUse(async (port) => {
      const run = await serve(['--tcp-port', String(port), '--log-level', 'debug']);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `switchboard: port ${port} (--tcp-port) is already in use\n`);
      const debug = logEntries(run.stdout).filter((entry) => entry['level'] === 20 && entry['msg'] === 'could not start');
      assert.equal(debug.length, 1, run.stdout);
      const err = debug[0]!['err'] as { code: string; port: number; stack: string };
      assert.equal(err.code, 'EADDRINUSE');
      assert.equal(err.port, port);
      assert.match(err.stack, /\n\s+at /);
    });
  });

  it('with human-readable logs (a terminal): only the plain line, no fatal record repeating it', async () => {
    await withPortInUse(async (port) => {
      const run = await serve(['--line-port', String(port), '--log-pretty', 'true']);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.equal(run.stderr, `switchboard: port ${port} (--line-port) is already in use\n`);
      assert.doesNotMatch(run.stdout, /FATAL|ERROR|could not start|\n\s+at /, run.stdout);
    });
  });
});

describe('switchboard serve: a certificate or key that cannot be used is one plain line, exit 1 (spawned)', () => {
  let pki: TestPki;
  let first: IssuedCertificate;
  let second: IssuedCertificate;
  before(() => {
    pki = createTestPki();
    first = pki.issue('first');
    second = pki.issue('second');
  });
  after(() => pki.remove());

  const tlsPorts = ['--tls-tcp-port', '0', '--tls-line-port', '0', '--https-port', '0'];

  it('a missing certificate file', async () => {
    const missing = join(pki.dir, 'missing.pem');
    const run = await serve(['--tls-cert', missing, '--tls-key', first.keyFile, ...tlsPorts]);
    assertOnePlainLine(run, `switchboard: cannot read --tls-cert ${missing}: ENOENT`);
  });

  it('a missing key file', async () => {
    const missing = join(pki.dir, 'missing.key');
    const run = await serve(['--tls-cert', first.certFile, '--tls-key', missing, ...tlsPorts]);
    assertOnePlainLine(run, `switchboard: cannot read --tls-key ${missing}: ENOENT`);
  });

  it('a certificate file that is not PEM', async () => {
    const garbage = join(pki.dir, 'garbage.pem');
    writeFileSync(garbage, 'this is not a certificate\n');
    const run = await serve(['--tls-cert', garbage, '--tls-key', first.keyFile, ...tlsPorts]);
    assert.match(run.stderr, new RegExp(`^switchboard: --tls-cert ${garbage} is not a PEM certificate: \\S+\n$`));
    assertOnePlainLine(run, run.stderr.trimEnd());
  });

  it('a key with a passphrase', async () => {
    const encrypted = join(pki.dir, 'encrypted.key');
    execFileSync('openssl', ['pkey', '-in', first.keyFile, '-aes256', '-passout', 'pass:secret', '-out', encrypted], { stdio: 'ignore' });
    const run = await serve(['--tls-cert', first.certFile, '--tls-key', encrypted, ...tlsPorts]);
    assertOnePlainLine(run, `switchboard: --tls-key ${encrypted} is encrypted; give it without a passphrase (openssl pkey -in ${encrypted} -out plain.key)`);
  });

  it('a key that belongs to another certificate', async () => {
    const run = await serve(['--tls-cert', first.certFile, '--tls-key', second.keyFile, ...tlsPorts]);
    assertOnePlainLine(run, `switchboard: --tls-key ${second.keyFile} is not the private key of --tls-cert ${first.certFile}`);
  });

  it('a certificate without its key, a key without its certificate, --tls-only without either', async () => {
    assertOnePlainLine(await serve(['--tls-cert', first.certFile, ...tlsPorts]), 'switchboard: --tls-cert needs --tls-key (its private key)');
    assertOnePlainLine(await serve(['--tls-key', first.keyFile, ...tlsPorts]), 'switchboard: --tls-key needs --tls-cert (the certificate it belongs to)');
    assertOnePlainLine(await serve(['--tls-only']), 'switchboard: --tls-only needs --tls-cert and --tls-key');
  });

  it('a TLS port that is also a plain port: said before anything starts, naming both', async () => {
    const run = await serve(['--tls-cert', first.certFile, '--tls-key', first.keyFile, '--tcp-port', '23456', '--tls-tcp-port', '23456', '--tls-line-port', '0', '--https-port', '0']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stderr, 'switchboard: --tcp-port and --tls-tcp-port are both 23456; each needs its own port\n');
  });

  it('a TLS port already in use names its flag', async () => {
    await withPortInUse(async (port) => {
      const run = await serve(['--tls-cert', first.certFile, '--tls-key', first.keyFile, '--tls-tcp-port', '0', '--tls-line-port', String(port), '--https-port', '0']);
      assertOnePlainLine(run, `switchboard: port ${port} (--tls-line-port) is already in use`);
    });
  });
});
