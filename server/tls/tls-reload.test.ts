import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { after, afterEach, before, describe, it } from 'node:test';
import { type ServerProcess, type TlsPorts, startServerProcess } from '../test-support/server-process.js';
import { type IssuedCertificate, type TestPki, createTestPki } from '../test-support/test-certificates.js';
import { FramedClient, LineClient } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

/** The serial of the certificate a new TLS connection to `port` is shown. */
async function servedSerial(port: number, ca: Buffer): Promise<string> {
  const socket = tls.connect({ port, host: '127.0.0.1', ca });
  socket.on('error', () => undefined);
  const timer = setTimeout(() => socket.destroy(new Error(`no handshake with port ${port} within 5 s`)), 5000);
  try {
    await onceWithin(socket, 'secureConnect');
    return socket.getPeerCertificate().serialNumber.toUpperCase();
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

function peerSerial(client: FramedClient | LineClient): string {
  return (client.socket as tls.TLSSocket).getPeerCertificate().serialNumber.toUpperCase();
}

function logEntries(log: string): Record<string, unknown>[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('SIGHUP re-reads the certificate (spawned switchboard serve)', () => {
  let pki: TestPki;
  let ca: Buffer;
  let first: IssuedCertificate;
  let second: IssuedCertificate;
  /** The files the server was started with; tests copy other certificates over them. */
  let live: { certFile: string; keyFile: string };
  let server: ServerProcess | undefined;
  const clients: (FramedClient | LineClient)[] = [];

  before(() => {
    pki = createTestPki();
    ca = readFileSync(pki.caFile);
    first = pki.issue('first');
    second = pki.issue('second');
    live = { certFile: join(pki.dir, 'live.pem'), keyFile: join(pki.dir, 'live.key') };
  });
  after(() => pki.remove());
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await server?.stop();
    server = undefined;
  });

  function install(issued: IssuedCertificate): void {
    copyFileSync(issued.certFile, live.certFile);
    copyFileSync(issued.keyFile, live.keyFile);
  }

  async function start(): Promise<{ running: ServerProcess; ports: TlsPorts }> {
    install(first);
    const running = await startServerProcess(undefined, ['--tls-cert', live.certFile, '--tls-key', live.keyFile, '--tls-tcp-port', '0', '--tls-line-port', '0', '--https-port', '0']);
    server = running;
    assert.ok(running.tlsPorts !== null, running.log());
    return { running, ports: running.tlsPorts };
  }

  /** Sends SIGHUP and waits for the one log line that says what came of it. */
  async function hangUp(running: ServerProcess, message: RegExp): Promise<Record<string, unknown>> {
    const seen = logEntries(running.log()).length;
    running.child.kill('SIGHUP');
    let entry: Record<string, unknown> | undefined;
    await until(() => {
      entry = logEntries(running.log()).slice(seen).find((candidate) => message.test(String(candidate['msg'])));
      return entry !== undefined;
    }, `a log line matching ${message} after SIGHUP`);
    return entry!;
  }

  it('a new connection gets the new certificate while an open one keeps talking on the old', async () => {
    const { running, ports } = await start();
    assert.equal(await servedSerial(ports.tcp, ca), first.serialNumber);
    const old = await FramedClient.connectTls(ports.tcp, ca);
    const oldLine = await LineClient.connectTls(ports.line, ca);
    clients.push(old, oldLine);

    install(second);
    const reloaded = await hangUp(running, /^TLS certificate reloaded/);
    assert.equal(reloaded['serialNumber'], second.serialNumber);
    assert.equal(reloaded['previousSerialNumber'], first.serialNumber);
    assert.equal(reloaded['level'], 30);

    for (const port of [ports.tcp, ports.line, ports.https]) assert.equal(await servedSerial(port, ca), second.serialNumber, `port ${port}`);
    const fresh = await FramedClient.connectTls(ports.tcp, ca);
    clients.push(fresh);
    assert.equal(peerSerial(fresh), second.serialNumber);

    // The connections opened before the reload are untouched: same session, still chatting both ways.
    assert.equal(peerSerial(old), first.serialNumber);
    old.send('said on the old certificate');
    await fresh.waitFor('said on the old certificate');
    await oldLine.waitFor('said on the old certificate');
    fresh.send('said on the new certificate');
    await old.waitFor('said on the new certificate');
    assert.equal(running.child.exitCode, null, 'still running');
  });

  it('a file that cannot be used at reload is logged as an error and the running certificate stays', async () => {
    const { running, ports } = await start();
    const old = await FramedClient.connectTls(ports.tcp, ca);
    clients.push(old);

    // Half a renewal: the new certificate is in place, its key is not.
    copyFileSync(second.certFile, live.certFile);
    const mismatch = await hangUp(running, /^TLS reload failed/);
    assert.equal(mismatch['level'], 50);
    assert.match(String(mismatch['msg']), new RegExp(`still serving .*serial ${first.serialNumber}.*: --tls-key ${live.keyFile} is not the private key of --tls-cert ${live.certFile}$`));
    assert.equal(await servedSerial(ports.tcp, ca), first.serialNumber);

    writeFileSync(live.certFile, 'truncated');
    const garbage = await hangUp(running, /^TLS reload failed/);
    assert.match(String(garbage['msg']), /is not a PEM certificate/);
    assert.equal(await servedSerial(ports.line, ca), first.serialNumber);

    const fresh = await FramedClient.connectTls(ports.tcp, ca);
    clients.push(fresh);
    fresh.send('still served after two failed reloads');
    await old.waitFor('still served after two failed reloads');
    const metrics = await (await fetch(`http://127.0.0.1:${running.ports.http}/metrics`)).text();
    assert.match(metrics, /^switchboard_errors_total\{code="SB_ERR_TLS_CREDENTIALS"\} 2$/m);

    // Once the pair is whole again, the next SIGHUP takes it.
    install(second);
    await hangUp(running, /^TLS certificate reloaded/);
    assert.equal(await servedSerial(ports.https, ca), second.serialNumber);
  });
});
