import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { after, afterEach, before, describe, it } from 'node:test';
import type { ServerConfig } from '../config.js';
import type { RunningSwitchboard, TlsPorts } from '../switchboard.js';
import { type TestPki, createTestPki } from '../test-support/test-certificates.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { DEADLINE_MS, onceWithin } from '../test-support/deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let pki: TestPki;
let ca: Buffer;
let tlsFlags: Partial<ServerConfig>;

before(() => {
  pki = createTestPki();
  ca = readFileSync(pki.caFile);
  const issued = pki.issue('server');
  tlsFlags = { tlsCert: issued.certFile, tlsKey: issued.keyFile, tlsTcpPort: 0, tlsLinePort: 0, httpsPort: 0 };
});
after(() => pki.remove());

function tlsPortsOf(server: RunningSwitchboard): TlsPorts {
  assert.ok(server.tlsPorts !== null, 'TLS listeners are on');
  return server.tlsPorts;
}

/** An HTTPS GET trusting only the test CA; `headers` may set Host and Origin. */
async function httpsGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  // Without servername Node checks the certificate against the Host header, which some tests forge.
  const request = https.request({ host: '127.0.0.1', servername: 'localhost', port, path, ca, headers, agent: false, timeout: 5000 });
  request.on('timeout', function httpsTimedOut() {
    request.destroy(new Error(`GET ${path}: no answer within 5 s`));
  });
  request.end();
  const [response] = (await onceWithin(request, 'response')) as [http.IncomingMessage];
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response) body += chunk as string;
  return { status: response.statusCode ?? 0, body };
}

/** How many handshakes /metrics has counted as failed (over plain HTTP). */
async function failedHandshakes(server: RunningSwitchboard): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  const match = /^switchboard_errors_total\{code="SB_ERR_TLS_HANDSHAKE"\} (\d+)$/m.exec(text);
  return match === null ? 0 : Number(match[1]);
}

/** A plain TCP socket to a TLS port that sends `bytes` instead of a ClientHello; resolves with what came back once closed. */
async function sendInsteadOfHello(port: number, bytes: string | Buffer): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  await onceWithin(socket, 'connect');
  socket.write(bytes);
  let kept = false;
  const timer = setTimeout(() => {
    kept = true;
    socket.destroy();
  }, 5000);
  await onceWithin(socket, 'close');
  clearTimeout(timer);
  assert.equal(kept, false, `the server still held a socket 5 s after it sent ${JSON.stringify(String(bytes).slice(0, 20))}`);
  return Buffer.concat(received);
}

describe('TLS listeners beside the plain ones (real sockets, test CA made by openssl)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer(tlsFlags);
  });
  after(async () => {
    await server.close();
  });

  it('framed over TLS and a plain line client talk both ways', async () => {
    const secure = await FramedClient.connectTls(tlsPortsOf(server).tcp, ca);
    const plain = await LineClient.connect(server.ports.line);
    secure.send('/nick tlsframed');
    await plain.waitFor('is now known as tlsframed');
    secure.send('hello from TLS');
    assert.match(await plain.waitFor('hello from TLS'), / tlsframed hello from TLS$/);
    plain.send('hello back in plain text');
    assert.match(seedDecode(await secure.waitFor('hello back')), /hello back in plain text$/);
    assert.equal((secure.socket as tls.TLSSocket).getPeerCertificate().subject.CN, 'localhost');
    await Promise.all([secure.close(), plain.close()]);
  });

  it('lines over TLS (what openssl s_client -quiet sends) and a plain framed client talk both ways', async () => {
    const secure = await LineClient.connectTls(tlsPortsOf(server).line, ca);
    const plain = await FramedClient.connect(server.ports.tcp);
    secure.send('/nick tlsline');
    await plain.waitFor('is now known as tlsline');
    secure.send('a line over TLS');
    assert.equal(seedDecode(await plain.waitFor('a line over TLS')), 'tlsline a line over TLS');
    plain.send('and a frame back');
    assert.match(await secure.waitFor('and a frame back'), /^\S+ \S+ \S+ and a frame back$/);
    await Promise.all([secure.close(), plain.close()]);
  });

  it('the page over https: GET / and /healthz; wss from the page\'s https origin chats with a plain framed client', async () => {
    const port = tlsPortsOf(server).https;
    const page = await httpsGet(port, '/');
    assert.ok(page.status === 200 || page.status === 503, `GET / over https: ${page.status}`);
    const health = await httpsGet(port, '/healthz');
    assert.equal(health.status, 200);
    assert.equal((JSON.parse(health.body) as { status: string }).status, 'ok');

    const origin = `https://127.0.0.1:${port}`;
    const ws = await WsTestClient.connectSecure(port, ca, origin);
    const plain = await FramedClient.connect(server.ports.tcp);
    ws.send({ type: 'send', text: 'from a page over https' });
    assert.match(seedDecode(await plain.waitFor('from a page over https')), /from a page over https$/);
    plain.send('to the page over wss');
    await ws.waitForText('to the page over wss');
    await Promise.all([ws.close(), plain.close()]);
  });

  it('over https the origin and Host checks hold: another site\'s page gets 403, a rebound name 421', async () => {
    const port = tlsPortsOf(server).https;
    const upgrade = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    const foreign = await httpsGet(port, '/ws', { ...upgrade, Origin: 'https://evil.example' });
    assert.equal(foreign.status, 403, foreign.body);
    // The plain page's origin is another origin than the https one (scheme and port differ).
    const plainPage = await httpsGet(port, '/ws', { ...upgrade, Origin: `http://127.0.0.1:${server.ports.http}` });
    assert.equal(plainPage.status, 403, plainPage.body);
    const rebound = await httpsGet(port, '/healthz', { Host: `evil.example:${port}` });
    assert.equal(rebound.status, 421, rebound.body);
  });

  for (const which of ['tcp', 'line', 'https'] as const) {
    it(`${which}: garbage instead of a ClientHello is closed alone, counted in /metrics, and the others keep chatting`, async () => {
      const port = tlsPortsOf(server)[which];
      const talker = await FramedClient.connectTls(tlsPortsOf(server).tcp, ca);
      const listener = await LineClient.connect(server.ports.line);
      const before = await failedHandshakes(server);
      const openBefore = server.gate.open;

      const answers = [
        await sendInsteadOfHello(port, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'),
        await sendInsteadOfHello(port, 'hello, plain text on a TLS port\n'),
        await sendInsteadOfHello(port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00])),
      ];
      for (const answer of answers) {
        // At most a TLS alert record (content type 21); never chat or HTTP in plain text.
        assert.ok(answer.length === 0 || answer[0] === 0x15, `answered ${JSON.stringify(answer.toString('latin1'))}`);
      }
      await until(async () => (await failedHandshakes(server)) >= before + 3, 'three failed handshakes counted in /metrics');

      talker.send(`still here after garbage on ${which}`);
      await listener.waitFor(`still here after garbage on ${which}`);
      assert.equal(server.gate.open, openBefore, 'no slot left behind by the closed sockets');
      await Promise.all([talker.close(), listener.close()]);
    });
  }

  it('/quit over TLS from a client that keeps its side open ends that connection only (no TCP reset on TLS)', async () => {
    const port = tlsPortsOf(server).line;
    const listener = await FramedClient.connect(server.ports.tcp);
    const talker = await LineClient.connect(server.ports.line);
    // Node's TLS client takes net's allowHalfOpen, which its types leave out.
    const halfOpen: tls.ConnectionOptions & { allowHalfOpen: boolean } = { port, host: '127.0.0.1', ca, allowHalfOpen: true };
    const quitter = tls.connect(halfOpen);
    quitter.on('error', () => undefined);
    let received = '';
    quitter.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    await onceWithin(quitter, 'secureConnect');
    await until(() => received.includes('welcome to'), 'the welcome over TLS');
    quitter.write('/quit see you\n');
    await until(() => received.includes('goodbye (see you)'), 'the goodbye over TLS');
    // A plain socket still open 250 ms after /quit is reset; a TLS one is closed instead, and
    // the server is still here (resetting a TLS socket threw from a timer and ended the process).
    await until(() => server.gate.open === 2, 'the quitter\'s connection released, only the two others left');
    await sleep(300);
    talker.send('the server survived a TLS /quit');
    await listener.waitFor('the server survived a TLS /quit');
    quitter.destroy();
    await Promise.all([listener.close(), talker.close()]);
  });
});

describe('TLS handshakes and the connection limits', () => {
  let server: RunningSwitchboard | undefined;
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await server?.close();
    server = undefined;
  });

  /** A TCP connection to a TLS port that never says anything; `closed` is set once the server closes it. */
  async function silent(port: number): Promise<{ socket: net.Socket; closed: () => boolean }> {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    let closed = false;
    socket.on('close', () => (closed = true));
    await onceWithin(socket, 'connect');
    return { socket, closed: () => closed };
  }

  it('a client that never finishes its handshake is closed after --tls-handshake-timeout, and counted', async () => {
    server = await startTestServer({ ...tlsFlags, tlsHandshakeTimeout: 0.3 });
    const running = server;
    const quiet = await silent(tlsPortsOf(running).tcp);
    await until(() => running.gate.open === 1, 'the handshake to hold a slot in the gate');
    await until(quiet.closed, 'the silent client to be closed by the handshake timeout', 5000);
    await until(() => running.gate.open === 0, 'its slot to be released');
    assert.equal(running.stats.errors.get('SB_ERR_TLS_HANDSHAKE'), 1);
  });

  it('handshakes count in --max-connections-per-ip and make way for a chat client at the cap', async () => {
    server = await startTestServer({ ...tlsFlags, maxConnectionsPerIp: 3 });
    const running = server;
    const quiet = [await silent(tlsPortsOf(running).tcp), await silent(tlsPortsOf(running).line), await silent(tlsPortsOf(running).https)];
    await until(() => running.gate.open === 3, 'three handshakes counted');
    const member = await FramedClient.connect(running.ports.tcp);
    await until(() => quiet.filter((q) => q.closed()).length === 1, 'the oldest handshake closed to make room');
    assert.equal(quiet[0]!.closed(), true, 'the oldest one');
    assert.equal(running.gate.open, 3);
    const secureMember = await FramedClient.connectTls(tlsPortsOf(running).tcp, ca);
    assert.equal(running.gate.open, 3, 'a completed handshake holds one slot, passed on to its connection');
    secureMember.send('a secure member at the cap');
    await member.waitFor('a secure member at the cap');
    await Promise.all([member.close(), secureMember.close()]);
  });

  it('at a cap with nothing to make way, a TLS newcomer is closed before any handshake, and counted', async () => {
    server = await startTestServer({ ...tlsFlags, maxConnectionsPerIp: 1 });
    const running = server;
    const member = await FramedClient.connect(running.ports.tcp);
    const refused = tls.connect({ port: tlsPortsOf(running).tcp, host: '127.0.0.1', ca });
    let failure: (Error & { code?: string }) | undefined;
    refused.on('error', (error: Error) => (failure = error));
    let secured = false;
    refused.on('secureConnect', () => (secured = true));
    await onceWithin(refused, 'close', DEADLINE_MS, 'the server to close the refused socket');
    assert.equal(secured, false);
    assert.match(String(failure?.code), /ECONNRESET|EPIPE/, String(failure));
    assert.equal(running.stats.errors.get('SB_ERR_TOO_MANY_CONNECTIONS'), 1);
    assert.equal(running.gate.open, 1, 'only the member');
    await member.close();
  });

  it('every way a handshake can end gives its slot back at once, long before the handshake timeout', async () => {
    // The default timeout (10 s) is longer than the wait below: only the endings themselves may release.
    server = await startTestServer(tlsFlags);
    const running = server;
    const ports = tlsPortsOf(running);
    const endings: Promise<unknown>[] = [];
    /** Resolves when the socket has closed, whatever error it had (once() would reject on one). */
    function settled(socket: tls.TLSSocket): Promise<unknown> {
      socket.on('error', () => undefined);
      return new Promise((resolve) => socket.once('close', resolve));
    }
    for (const port of [ports.tcp, ports.line, ports.https]) {
      for (let i = 0; i < 10; i += 1) {
        endings.push(sendInsteadOfHello(port, 'garbage\n'));
        // Connect and go away before sending anything.
        endings.push(silent(port).then(({ socket }) => socket.destroy()));
        // A ClientHello, then gone mid-handshake.
        const hello = tls.connect({ port, host: '127.0.0.1', ca });
        endings.push(Promise.all([settled(hello), once(hello, 'connect').then(() => hello.destroy())]));
        // A client that does not trust the certificate: its side of the handshake ends, then it closes.
        endings.push(settled(tls.connect({ port, host: '127.0.0.1' })));
        // A whole handshake, a welcome, then a reset.
        const complete = tls.connect({ port, host: '127.0.0.1', ca });
        endings.push(Promise.all([settled(complete), once(complete, 'secureConnect').then(() => complete.destroy())]));
      }
    }
    await Promise.all(endings);
    await until(() => running.gate.open === 0, 'every slot released', 5000);
    await until(() => running.hub.countByTransport().tcp + running.hub.countByTransport().line === 0, 'no member left behind');
  });

  it('a TLS client that sends FIN while its input is held back by the flood limit still has all of it delivered (half-open)', async () => {
    server = await startTestServer({ ...tlsFlags, rateLimit: 5, rateBurst: 5 });
    const listener = await FramedClient.connect(server.ports.tcp);
    const sender = await LineClient.connectTls(tlsPortsOf(server).line, ca);
    sender.socket.end(Array.from({ length: 12 }, (_, i) => `held ${i}\n`).join(''));
    await listener.waitFor('held 11', 10_000);
    assert.deepEqual(
      listener.chat().map((payload) => /held \d+$/.exec(payload)?.[0]),
      Array.from({ length: 12 }, (_, i) => `held ${i}`),
    );
    await listener.close();
  });

  it('shutdown: TLS members get the notice, a handshake in progress is cut, and close() does not wait for its timeout', async () => {
    server = await startTestServer(tlsFlags);
    const running = server;
    const member = await FramedClient.connectTls(tlsPortsOf(running).tcp, ca);
    const page = await WsTestClient.connectSecure(tlsPortsOf(running).https, ca);
    const quiet = await silent(tlsPortsOf(running).line);
    await until(() => running.gate.open === 3, 'two members and a handshake counted');
    let closed = false;
    const closing = running.close().then(() => (closed = true));
    await member.waitFor('server shutting down');
    await page.waitForText('server shutting down');
    await until(quiet.closed, 'the handshake in progress to be cut');
    // The default handshake timeout is 10 s and the shutdown timeout 5 s: this is the shutdown's own doing.
    await until(() => closed, 'close() to finish', 5000);
    await closing;
    server = undefined;
  });

  it('--tls-only: only the TLS listeners are open', async () => {
    server = await startTestServer({ ...tlsFlags, tlsOnly: true });
    assert.deepEqual(server.ports, { tcp: 0, line: 0, http: 0, irc: 0 });
    const secure = await FramedClient.connectTls(tlsPortsOf(server).tcp, ca);
    const secureLine = await LineClient.connectTls(tlsPortsOf(server).line, ca);
    secure.send('only TLS here');
    await secureLine.waitFor('only TLS here');
    assert.equal((await httpsGet(tlsPortsOf(server).https, '/healthz')).status, 200);
    await Promise.all([secure.close(), secureLine.close()]);
  });
});
