import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard, TlsPorts } from '../switchboard.js';
import { BIN } from '../test-support/server-process.js';
import { type TestPki, createTestPki } from '../test-support/test-certificates.js';
import { LineClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { parseAddress } from './connect-command.js';

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Longest a `connect` run may take in these tests before it is called hung. */
const RUN_DEADLINE_MS = 10_000;

function spawnCli(args: string[]): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
  const exit = once(child, 'exit').then(([code]) => {
    clearTimeout(killer);
    return code as number | null;
  });
  return { child, stdout: () => out, stderr: () => err, exit };
}

describe('switchboard connect --tls (spawned, against a server with a test CA)', () => {
  let pki: TestPki;
  let server: RunningSwitchboard;
  let ports: TlsPorts;
  before(async () => {
    pki = createTestPki();
    const issued = pki.issue('server');
    server = await startTestServer({ tlsCert: issued.certFile, tlsKey: issued.keyFile, tlsTcpPort: 0, tlsLinePort: 0, httpsPort: 0 });
    assert.ok(server.tlsPorts !== null);
    ports = server.tlsPorts;
  });
  after(async () => {
    await server.close();
    pki.remove();
  });

  it('--ca: piped lines reach a plain line client, a reply is printed, and it exits 0 when stdin closes', async () => {
    const listener = await LineClient.connect(server.ports.line);
    const cli = spawnCli(['connect', `127.0.0.1:${ports.tcp}`, '--tls', '--ca', pki.caFile, '--nick', 'secure']);
    await until(() => cli.stdout().includes('welcome to'), 'the welcome over TLS');
    cli.child.stdin.write('first line over TLS\n');
    assert.match(await listener.waitFor('first line over TLS'), / secure first line over TLS$/);
    listener.send('a reply in plain text');
    await until(() => /\] \S+: a reply in plain text$/m.test(cli.stdout()), 'the reply printed by the TLS client');
    cli.child.stdin.end('last line, then stdin ends\n');
    assert.equal(await cli.exit, 0, cli.stderr());
    await listener.waitFor('last line, then stdin ends');
    await listener.close();
  });

  it('localhost by name: the certificate\'s DNS name is checked too', async () => {
    const cli = spawnCli(['connect', `localhost:${ports.tcp}`, '--tls', '--ca', pki.caFile]);
    cli.child.stdin.end('by name\n');
    assert.equal(await cli.exit, 0, cli.stderr());
  });

  it('without --ca the test CA is not trusted: one line that says what to pass, exit 1', async () => {
    const cli = spawnCli(['connect', `127.0.0.1:${ports.tcp}`, '--tls']);
    cli.child.stdin.end('never sent\n');
    assert.equal(await cli.exit, 1);
    assert.equal(
      cli.stderr(),
      `switchboard: cannot connect to 127.0.0.1:${ports.tcp}: UNABLE_TO_VERIFY_LEAF_SIGNATURE: the server's certificate is not trusted; pass --ca FILE (the CA that signed it), or --insecure to skip the check\n`,
    );
  });

  it('--insecure connects without checking', async () => {
    const listener = await LineClient.connect(server.ports.line);
    const cli = spawnCli(['connect', `127.0.0.1:${ports.tcp}`, '--tls', '--insecure']);
    cli.child.stdin.end('unchecked but encrypted\n');
    assert.equal(await cli.exit, 0, cli.stderr());
    await listener.waitFor('unchecked but encrypted');
    await listener.close();
  });

  it('--tls to a plain port: one line, exit 1; the server closes that connection only', async () => {
    const cli = spawnCli(['connect', `127.0.0.1:${server.ports.tcp}`, '--tls', '--ca', pki.caFile]);
    cli.child.stdin.end('never sent\n');
    assert.equal(await cli.exit, 1);
    assert.match(cli.stderr(), new RegExp(`^switchboard: cannot connect to 127\\.0\\.0\\.1:${server.ports.tcp}: \\S+: no TLS handshake from there \\(is it a plain port\\?\\)\\n$`));
    await until(() => server.gate.open === 0, 'the plain port to have closed the TLS client\'s connection');
    const listener = await LineClient.connect(server.ports.line);
    const talker = await LineClient.connect(server.ports.line);
    talker.send('the plain port is fine');
    await listener.waitFor('the plain port is fine');
    await Promise.all([listener.close(), talker.close()]);
  });

  it('--ca or --insecure without --tls, and a --ca file that cannot be read, are usage errors (exit 2)', async () => {
    const withoutTls = spawnCli(['connect', `127.0.0.1:${ports.tcp}`, '--ca', pki.caFile]);
    assert.equal(await withoutTls.exit, 2);
    assert.equal(withoutTls.stderr(), 'switchboard: --ca and --insecure go with --tls\n');
    const missing = join(pki.dir, 'no-such-ca.pem');
    const unreadable = spawnCli(['connect', `127.0.0.1:${ports.tcp}`, '--tls', '--ca', missing]);
    assert.equal(await unreadable.exit, 2);
    assert.equal(unreadable.stderr(), `switchboard: cannot read --ca ${missing}: ENOENT\n`);
  });

  it('with --tls an address without a port means the framed TLS port, 12443', () => {
    assert.deepEqual(parseAddress('chat.example', 12443), { host: 'chat.example', port: 12443 });
    assert.deepEqual(parseAddress('chat.example'), { host: 'chat.example', port: 12345 });
  });
});
