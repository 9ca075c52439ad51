import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { until } from '../test-support/until.js';
import { onceWithin, within } from '../test-support/deadline.js';

/** State of a TCP connection in /proc/net/tcp (hex, e.g. 08 = CLOSE_WAIT), or null once the kernel has dropped it. */
function tcpState(localPort: number, remotePort: number): string | null {
  const hex = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, remote, state] = line.trim().split(/\s+/);
    if (local?.endsWith(hex(localPort)) === true && remote?.endsWith(hex(remotePort)) === true) return state ?? null;
  }
  return null;
}

const TCP_CLOSE_WAIT = '08';

describe('/quit [reason] on every text transport (real sockets)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('framed: a goodbye to the quitter, the server closes its connection, the others see the reason in the leave', async () => {
    const watcher = await LineClient.connect(server.ports.line);
    const quitter = await FramedClient.connect(server.ports.tcp);
    quitter.send('/nick grace');
    await watcher.waitFor('known as grace');
    const ended = once(quitter.socket, 'end');
    quitter.send('/quit  see you\ttomorrow ');

    assert.equal(seedDecode(await quitter.waitFor('goodbye')), '*** goodbye (see you tomorrow)');
    assert.equal(seedDecode(quitter.received.at(-1)!), '*** goodbye (see you tomorrow)', 'the goodbye is the last frame');
    await within(ended, 'the server to end the quitter\'s connection');
    await within(quitter.closed, 'the quitter\'s socket to close');
    assert.equal(seedDecode(await watcher.waitFor('grace left')), '*** grace left (quit: see you tomorrow)');
    await watcher.close();
  });

  it('line: a netcat that keeps its side open (netcat-openbsd waits for its stdin) is reset, which is what ends it', async () => {
    const watcher = await FramedClient.connect(server.ports.tcp);
    // allowHalfOpen: this peer never answers the server's FIN with its own, as netcat-openbsd.
    const nc = net.connect({ port: server.ports.line, host: '127.0.0.1', allowHalfOpen: true });
    nc.on('error', () => undefined);
    let received = '';
    nc.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    const ended = once(nc, 'end');
    await onceWithin(nc, 'connect');
    await until(() => received.includes('welcome to'), 'welcome on the line port');
    const name = `127.0.0.1:${nc.localPort}`;
    // Alone, or in a batch with the watcher's own join (presence is batched).
    await watcher.waitFor((payload) => payload.includes(name) && payload.includes('joined'));
    nc.write('/quit\n');

    await within(ended, 'the server\'s FIN');
    assert.match(received, /\*\*\* goodbye\n$/, 'the goodbye arrived, last');
    assert.equal(seedDecode(await watcher.waitFor(`${name} left`)), `*** ${name} left`, 'no reason given, none shown');
    // Node stops watching a socket after its FIN, so ask the kernel: a half-open peer sits in
    // CLOSE_WAIT for good after a plain close; the reset removes the connection.
    assert.equal(tcpState(nc.localPort!, server.ports.line), TCP_CLOSE_WAIT);
    await until(() => tcpState(nc.localPort!, server.ports.line) === null, 'the server to reset the quitter\'s connection');
    nc.destroy();
    await watcher.close();
  });

  it('WebSocket (the page sends /quit as text): goodbye notice, then close 1000 "quit"; the others see why', async () => {
    const watcher = await FramedClient.connect(server.ports.tcp);
    const page = await WsTestClient.connect(server.ports.http);
    page.say('/nick ada');
    await watcher.waitFor('known as ada');
    page.say('/quit bye for now');

    const goodbye = await page.waitFor((event) => event.type === 'notice' && event.text.startsWith('goodbye'));
    assert.equal(goodbye.type === 'notice' ? goodbye.text : '', 'goodbye (bye for now)');
    assert.deepEqual(await within(page.closed, 'the page\'s WebSocket to close'), { code: 1000, reason: 'quit' });
    assert.equal(seedDecode(await watcher.waitFor('ada left')), '*** ada left (quit: bye for now)');
    await watcher.close();
  });

  it('the reason is one line of at most 100 characters; /QUIT works too; /help lists /quit', async () => {
    const watcher = await FramedClient.connect(server.ports.tcp);
    const quitter = await FramedClient.connect(server.ports.tcp);
    quitter.send('/help');
    assert.match(await quitter.waitFor('commands:'), /\/quit \[REASON\]/);
    quitter.send('/nick longwinded');
    await watcher.waitFor('known as longwinded');
    quitter.send(`/QUIT first line\nsecond ${'x'.repeat(200)}`);
    const leave = seedDecode(await watcher.waitFor('longwinded left'));
    const reason = /^\*\*\* longwinded left \(quit: (.*)\)$/.exec(leave)?.[1] ?? '';
    assert.equal(reason, `first line second ${'x'.repeat(100 - 'first line second '.length - 1)}…`);
    assert.equal([...reason].length, 100);
    await within(quitter.closed, 'the quitter\'s socket to close');
    await watcher.close();
  });
});
