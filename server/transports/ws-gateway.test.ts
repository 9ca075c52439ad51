import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { MessageEvent, WelcomeEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';

describe('WebSocket gateway (real sockets)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ maxPayload: 4096, allowedOrigins: ['https://friend.example'] });
  });
  after(async () => {
    await server.close();
  });

  it('welcomes a page with its identity and the max payload, then puts it in the default room with its member list', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const page = await WsTestClient.connect(server.ports.http);
    const welcome = page.events[0] as WelcomeEvent;
    assert.equal(welcome.type, 'welcome');
    assert.equal(welcome.you.transport, 'ws');
    assert.equal(welcome.maxPayload, 4096);
    assert.equal(welcome.defaultRoom, '#lobby');
    const joined = page.events[1];
    assert.ok(joined?.type === 'joined' && joined.room === '#lobby');
    assert.deepEqual(joined.members.map((m) => m.transport).sort(), ['tcp', 'ws']);
    assert.equal(seedDecode(await framed.waitFor('joined')), `*** ${welcome.you.name} joined (ws)`);
    await page.close();
    await framed.close();
  });

  it('carries text, sender and time exactly both ways: unicode, emoji, RTL, newlines', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const line = await LineClient.connect(server.ports.line);
    const page = await WsTestClient.connect(server.ports.http);
    framed.send('/nick tcp-ada');
    await page.waitForText('known as tcp-ada');
    const samples = ['héllo wörld', '🦊🎉 emoji 👩‍👩‍👧', 'שלום עולם مرحبا', 'two\nlines\n\tindented', '<b>not html</b> & "quotes"'];

    for (const text of samples) {
      framed.send(text);
      const event = (await page.waitFor((e) => e.type === 'message' && e.text === text)) as MessageEvent;
      assert.equal(event.from, 'tcp-ada');
      assert.equal(event.kind, 'chat');
      const framedTime = Date.parse(`${(await line.waitFor(text.split('\n')[0]!)).slice(0, 19).replace(' ', 'T')}Z`);
      assert.equal(Math.floor(event.time / 1000) * 1000, framedTime, 'page time and wire time are the same instant');
    }

    page.say('/nick web-bob');
    await framed.waitFor('known as web-bob');
    for (const text of samples) {
      page.say(text);
      // The text wires carry a line break as ␤ (one message, one line); the page keeps it.
      const wired = text.replaceAll('\n', '\u2424');
      const got = await framed.waitFor((p) => p.endsWith(` ${wired}`));
      assert.equal(seedDecode(got), `web-bob ${wired}`);
      const echo = (await page.waitFor((e) => e.type === 'message' && e.self === true && e.text === text)) as MessageEvent;
      assert.equal(echo.from, 'web-bob');
    }
    await Promise.all([page.close(), framed.close(), line.close()]);
  });

  it('runs commands from the page: /me, /who and the who event', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const page = await WsTestClient.connect(server.ports.http);
    page.say('/nick pia');
    await framed.waitFor('known as pia');
    page.say('/me dances');
    assert.equal(seedDecode(await framed.waitFor('dances')), '* pia dances');
    page.say('/who');
    const who = await page.waitForText('members of #lobby (');
    assert.match(who.type === 'notice' ? who.text : '', /pia \(ws\)/);
    page.send({ type: 'who' });
    const list = await page.waitFor((e) => e.type === 'members');
    assert.ok(list.type === 'members' && list.members.some((m) => m.name === 'pia' && m.transport === 'ws'));
    await page.close();
    await framed.close();
  });

  it('answers invalid JSON, unknown types and binary with an error event and stays up', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const page = await WsTestClient.connect(server.ports.http);
    page.socket.send('{not json');
    assert.deepEqual(await page.waitFor((e) => e.type === 'error'), { type: 'error', code: 'SB_ERR_INVALID_EVENT', message: 'invalid event: not JSON' });
    page.socket.send(JSON.stringify({ type: 'shout', text: 'x' }));
    const unknown = await page.waitFor((e) => e.type === 'error');
    assert.ok(unknown.type === 'error' && unknown.code === 'SB_ERR_INVALID_EVENT');
    page.socket.send(JSON.stringify({ type: 'send', text: 42 }));
    await page.waitFor((e) => e.type === 'error' && e.code === 'SB_ERR_INVALID_EVENT');
    page.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await page.waitFor((e) => e.type === 'error' && e.code === 'SB_ERR_BINARY_REFUSED');
    page.say('still here');
    await framed.waitFor('still here');
    await page.close();
    await framed.close();
  });

  it('closes a page that sends more than max payload with 1009; others unaffected', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const page = await WsTestClient.connect(server.ports.http);
    page.say('x'.repeat(5000));
    const closed = await page.closed;
    assert.equal(closed.code, 1009);
    const other = await WsTestClient.connect(server.ports.http);
    other.say('after oversize');
    await framed.waitFor('after oversize');
    await other.close();
    await framed.close();
  });

  it('refuses an upgrade from another origin with 403, allows same origin and --allowed-origins', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.ports.http}/ws`, { origin: 'https://evil.example' });
    const status = await new Promise<number>((resolve, reject) => {
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.on('open', () => reject(new Error('cross-origin upgrade was accepted')));
      refused.on('error', () => undefined);
    });
    assert.equal(status, 403);
    const same = await WsTestClient.connect(server.ports.http, `http://127.0.0.1:${server.ports.http}`);
    const friend = await WsTestClient.connect(server.ports.http, 'https://friend.example');
    await same.close();
    await friend.close();
  });

  it('serves /healthz with member counts per transport and /metrics in Prometheus format', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const page = await WsTestClient.connect(server.ports.http);
    const health = (await (await fetch(`http://127.0.0.1:${server.ports.http}/healthz`)).json()) as {
      status: string;
      members: Record<string, number>;
    };
    assert.equal(health.status, 'ok');
    assert.equal(health.members['tcp'], 1);
    assert.equal(health.members['ws'], 1);
    page.say('count me');
    await framed.waitFor('count me');
    const response = await fetch(`http://127.0.0.1:${server.ports.http}/metrics`);
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
    const text = await response.text();
    assert.match(text, /^switchboard_connections\{transport="ws"\} 1$/m);
    assert.match(text, /^switchboard_messages_in_total\{transport="ws"\} [1-9]\d*$/m);
    assert.match(text, /^switchboard_messages_out_total\{transport="tcp"\} [1-9]\d*$/m);
    assert.match(text, /^switchboard_bytes_in_total\{transport="ws"\} [1-9]\d*$/m);
    assert.match(text, /^switchboard_errors_total\{code="SB_ERR_FRAME_TOO_LARGE"\} 1$/m);
    await page.close();
    await framed.close();
  });
});

describe('WebSocket gateway during a shutdown (real sockets)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('once the drain has started, refuses the upgrade with 503 and Retry-After instead of opening a WebSocket', async () => {
    const member = await WsTestClient.connect(server.ports.http);
    // What the shutdown does first: every member told and closed; the HTTP port stays open meanwhile.
    server.hub.closeAll('server shutting down');
    assert.deepEqual(await member.closed, { code: 1001, reason: 'SB_ERR_SHUTTING_DOWN' });

    const late = new WebSocket(`ws://127.0.0.1:${server.ports.http}/ws`);
    const refused = await new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
      late.on('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body }));
      });
      late.on('open', () => reject(new Error('the upgrade was accepted during the shutdown')));
      late.on('error', () => undefined);
    });
    assert.equal(refused.status, 503);
    assert.equal(refused.retryAfter, '5');
    assert.deepEqual(JSON.parse(refused.body), { error: 'server shutting down', code: 'SB_ERR_SHUTTING_DOWN' });

    const metrics = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
    assert.match(metrics, /^switchboard_errors_total\{code="SB_ERR_SHUTTING_DOWN"\} 1$/m);
  });
});

