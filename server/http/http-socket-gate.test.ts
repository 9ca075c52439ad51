import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { HalfSentRequests, rawGet } from '../test-support/raw-http.js';
import { FramedClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { WsTestClient } from '../test-support/ws-client.js';

describe('HTTP sockets in the connection limits (real sockets)', () => {
  let server: RunningSwitchboard | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('counts every accepted HTTP socket, and a WebSocket once', async () => {
    server = await startTestServer();
    const gate = server.gate;
    const halfSent = await HalfSentRequests.open(server.ports.http, 3);
    await until(() => gate.open === 3, '3 half-sent requests counted');
    const ws = await WsTestClient.connect(server.ports.http);
    assert.equal(gate.open, 4, 'the WebSocket counts once');
    ws.socket.close();
    await ws.closed;
    halfSent.destroy();
    await until(() => gate.open === 0, 'every slot released');
  });

  it('at --max-connections-per-ip, a newcomer closes its IP\'s oldest idle HTTP socket instead of being refused; chat sockets are never closed for it', async () => {
    server = await startTestServer({ maxConnectionsPerIp: 3 });
    const halfSent = await HalfSentRequests.open(server.ports.http, 6);
    await until(() => halfSent.closed === 3, 'the 3 oldest half-sent requests closed');
    assert.deepEqual(halfSent.sockets.map((socket) => socket.destroyed), [true, true, true, false, false, false]);
    const chat = await FramedClient.connect(server.ports.tcp);
    await until(() => halfSent.closed === 4, 'the framed client took an idle HTTP socket\'s place');
    const second = await FramedClient.connect(server.ports.tcp);
    const third = await FramedClient.connect(server.ports.tcp);
    await until(() => halfSent.closed === 6, 'every half-sent request made way for a chat client');
    const refused = await rawGet(server.ports.http, '/healthz', { host: 'localhost' });
    assert.equal(refused.status, 503);
    assert.match(refused.body, /too many connections from 127\.0\.0\.1: 3 at most/);
    const elsewhere = await rawGet(server.ports.http, '/healthz', { host: 'localhost' }, '127.0.0.2');
    assert.equal(elsewhere.status, 200);
    chat.send('three chat members hold the three slots');
    await second.waitFor('three chat members hold the three slots');
    await Promise.all([chat.close(), second.close(), third.close()]);
  });

  it('at --max-connections, an idle keep-alive HTTP socket makes way; with none, a WebSocket is told why in an error event and closed 1013', async () => {
    server = await startTestServer({ maxConnections: 2 });
    const keptAlive = await HalfSentRequests.open(server.ports.http, 1);
    const chat = await FramedClient.connect(server.ports.tcp);
    const ws = await WsTestClient.connect(server.ports.http);
    await until(() => keptAlive.closed === 1, 'the half-sent request made way for the WebSocket');
    const refused = await WsTestClient.refused(server.ports.http);
    assert.deepEqual(
      refused.events.map((event) => (event.type === 'error' ? [event.code, event.message, event.fatal] : event.type)),
      [['SB_ERR_TOO_MANY_CONNECTIONS', 'server full: 2 connections', true]],
      'the error event alone: no welcome, nothing of the chat',
    );
    assert.deepEqual([refused.code, refused.reason], [1013, 'SB_ERR_TOO_MANY_CONNECTIONS']);
    assert.equal(server.gate.open, 2, 'the refused socket never held a slot');
    assert.deepEqual(server.hub.countByTransport(), { tcp: 1, line: 0, ws: 1, irc: 0 });
    const page = await rawGet(server.ports.http, '/', { host: 'localhost' });
    assert.equal(page.status, 503, 'any other request over the cap gets a 503');
    assert.equal(page.headers['retry-after'], '5');
    assert.equal(page.headers.connection, 'close');
    assert.deepEqual(JSON.parse(page.body), { error: 'server full: 2 connections', code: 'SB_ERR_TOO_MANY_CONNECTIONS' });
    ws.socket.close();
    await ws.closed;
    await chat.close();
  });

  it('a socket accepted over a cap that sends nothing is closed after its 1 s grace, not the header timeout, and never holds a slot', async () => {
    server = await startTestServer({ maxConnectionsPerIp: 1 });
    const chat = await FramedClient.connect(server.ports.tcp);
    const silent = await HalfSentRequests.open(server.ports.http, 5);
    // Well before the header timeout (15 s): the refusal's own grace of 1 s.
    await until(() => silent.closed === 5, 'every refused socket closed', 5000);
    assert.equal(server.gate.open, 1);
    chat.send('/who');
    await chat.waitFor(/members of #lobby/);
    await chat.close();
  });
});
