import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { after, afterEach, before, describe, it } from 'node:test';
import { DEFAULT_CONFIG, type ServerConfig } from '../../config.js';
import type { RunningSwitchboard } from '../../switchboard.js';
import { IrcTestClient } from '../../test-support/irc-client.js';
import { freePort } from '../../test-support/server-process.js';
import { type TestPki, createTestPki } from '../../test-support/test-certificates.js';
import { LineClient, startTestServer } from '../../test-support/test-clients.js';

/** A TCP connection attempt's outcome: connected, or refused (nothing listening). */
async function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `--tls-irc-port`: IRC over TLS, a real node:tls client checking the certificate as irssi and WeeChat do. */
describe('IRC over TLS (--tls-irc-port)', () => {
  let pki: TestPki;
  let ca: Buffer;
  let tlsFlags: Partial<ServerConfig>;
  let server: RunningSwitchboard | undefined;
  before(() => {
    pki = createTestPki();
    ca = readFileSync(pki.caFile);
    const issued = pki.issue('server');
    tlsFlags = { tlsCert: issued.certFile, tlsKey: issued.keyFile, tlsTcpPort: 0, tlsLinePort: 0, httpsPort: 0, ircServerName: 'irc.test', presenceDelay: 0 };
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  after(() => pki.remove());

  it('registers over TLS, joins #lobby and chats with a line client; the plain IRC port works beside it', async () => {
    server = await startTestServer({ ...tlsFlags, ircPort: await freePort(), tlsIrcPort: await freePort() });
    const running = server;
    assert.ok(running.tlsPorts !== null && running.tlsPorts.irc !== 0 && running.ports.irc !== 0, 'both IRC listeners are open');
    const secure = await IrcTestClient.connectTls(running.tlsPorts.irc, ca);
    assert.ok(secure.socket instanceof tls.TLSSocket && secure.socket.authorized, 'the certificate checks out against the CA');
    await IrcTestClient.registered(secure, 'sec', ['server-time']);
    assert.ok(secure.lines.some((line) => line.startsWith(':irc.test 001 sec ')), 'welcomed over TLS');
    secure.send('JOIN #lobby');
    await secure.waitFor(/ 366 sec #lobby /);

    const plain = await IrcTestClient.register(running.ports.irc, 'plain');
    plain.send('JOIN #lobby');
    await secure.waitFor(/^@time=\S+ :plain!irc@irc\.test JOIN #lobby$/);
    const line = await LineClient.connect(running.ports.line);
    line.send('/nick grace');
    await line.waitFor('known as grace');

    secure.send('PRIVMSG #lobby :said over TLS');
    assert.ok((await line.waitFor('said over TLS')).endsWith(' sec said over TLS'));
    assert.equal(await plain.waitFor(/said over TLS/), ':sec!irc@irc.test PRIVMSG #lobby :said over TLS');
    line.send('hello secure IRC');
    assert.match(await secure.waitFor(/hello secure IRC/), / :grace!line@irc\.test PRIVMSG #lobby :hello secure IRC$/);
    await Promise.all([secure.quit(), plain.quit(), line.close()]);
  });

  it('--tls-only: the plain IRC port stays shut, the TLS one is open and chats', async () => {
    const plainPort = await freePort();
    server = await startTestServer({ ...tlsFlags, tlsOnly: true, ircPort: plainPort, tlsIrcPort: await freePort() });
    const running = server;
    assert.equal(running.ports.irc, 0, 'no plain IRC port under --tls-only');
    assert.equal(await connects(plainPort), false, 'nothing listens on --irc-port');
    assert.ok(running.tlsPorts !== null && running.tlsPorts.irc !== 0);
    const ada = await IrcTestClient.registered(await IrcTestClient.connectTls(running.tlsPorts.irc, ca), 'ada');
    ada.send('JOIN #lobby');
    await ada.waitFor(/ 366 ada #lobby /);
    const secureLine = await LineClient.connectTls(running.tlsPorts.line, ca);
    secureLine.send('/nick grace');
    await ada.waitFor(/ NICK grace$/);
    ada.send('PRIVMSG #lobby :only TLS here');
    assert.ok((await secureLine.waitFor('only TLS here')).endsWith(' ada only TLS here'));
    secureLine.send('and back');
    assert.match(await ada.waitFor(/and back/), /:grace!line@irc\.test PRIVMSG #lobby :and back$/);
    await Promise.all([ada.quit(), secureLine.close()]);
  });

  it('--tls-irc-port is 6697 unless told; 0: no IRC over TLS, the other TLS listeners still open', async () => {
    assert.equal(DEFAULT_CONFIG.tlsIrcPort, 6697, 'IRC\'s customary TLS port');
    server = await startTestServer({ ...tlsFlags, tlsIrcPort: 0 });
    assert.ok(server.tlsPorts !== null);
    assert.equal(server.tlsPorts.irc, 0);
    assert.notEqual(server.tlsPorts.line, 0);
  });
});
