import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MessageEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { IrcTestClient } from '../test-support/irc-client.js';
import { freePort } from '../test-support/server-process.js';
import { until } from '../test-support/until.js';
import { WsTestClient } from '../test-support/ws-client.js';

const TOKEN = 'ci-token-0123456789abcdef';
const OTHER = 'deploy-token-0123456789abcdef';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A real HTTP request to the server, as curl would send it; aborted after 10 s so a hang fails. */
async function call(port: number, method: string, path: string, options: { token?: string; body?: unknown; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined || options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.raw ?? JSON.stringify(options.body);
  }
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe('bot API: posting over HTTP reaches every transport and the history', () => {
  let server: RunningSwitchboard;
  let port: number;
  before(async () => {
    server = await startTestServer({ apiTokens: [`ci=${TOKEN}`, `deploy=${OTHER}`], apiRateLimit: 1, apiRateBurst: 3, maxPayload: 1024, ircPort: await freePort() });
    port = server.ports.http;
  });
  after(async () => {
    await server.close();
  });

  it('shows the bot as NAME[bot] to framed, line, IRC and page members, and stores it', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const line = await LineClient.connect(server.ports.line);
    const page = await WsTestClient.connect(port);
    const irc = await IrcTestClient.register(server.ports.irc, 'ircfan');
    try {
      irc.send('JOIN #lobby');
      await irc.waitFor(/ 366 /);
      const answer = await call(port, 'POST', '/api/rooms/lobby/messages', { token: TOKEN, body: { text: 'build 42 passed' } });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      assert.equal(answer.body['room'], '#lobby');
      assert.equal(answer.body['from'], 'ci[bot]');
      assert.equal(answer.body['text'], 'build 42 passed');
      assert.ok(Number(answer.body['id']) > 0);
      assert.match(await framed.waitFor('build 42 passed'), /ci\[bot\] build 42 passed$/);
      assert.match(await line.waitFor('build 42 passed'), / ci\[bot\] build 42 passed$/);
      assert.match(await irc.waitFor('build 42 passed'), /^:ci\[bot\]!\S+ PRIVMSG #lobby :build 42 passed$/);
      const event = (await page.waitForText('build 42 passed')) as MessageEvent;
      assert.equal(event.from, 'ci[bot]');
      assert.equal(event.bot, true);
      const page2 = await call(port, 'GET', '/api/rooms/%23lobby/messages', { token: TOKEN });
      assert.equal(page2.status, 200);
      const messages = page2.body['messages'] as { id: number; from: string; bot: boolean }[];
      assert.deepEqual(messages.at(-1), { ...answer.body, kind: 'chat' });
      const history = await fetch(`http://127.0.0.1:${port}/history?room=lobby`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.json() as Promise<{ messages: MessageEvent[] }>);
      assert.equal(history.messages.at(-1)?.bot, true);
    } finally {
      await Promise.all([framed.close(), line.close(), page.close(), irc.quit()]);
    }
  });

  it('refuses no token and a wrong token with 401, and counts them', async () => {
    const none = await call(port, 'POST', '/api/rooms/lobby/messages', { body: { text: 'x' } });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="switchboard"');
    const wrong = await call(port, 'GET', '/api/rooms', { token: `${TOKEN}x` });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body['code'], 'SB_ERR_API_TOKEN');
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text());
    assert.match(metrics, /switchboard_api_auth_failures_total [2-9]/);
  });

  it('answers bad JSON, unknown fields, oversize text and bad names with the right status', async () => {
    assert.equal((await call(port, 'POST', '/api/rooms/lobby/messages', { token: OTHER, raw: '{"text":' })).status, 400);
    assert.equal((await call(port, 'POST', '/api/rooms/lobby/messages', { token: OTHER, body: { from: 'x' } })).status, 400);
    assert.equal((await call(port, 'POST', '/api/rooms/lobby/messages', { token: OTHER, body: { text: 'hi', from: 'eve alice' } })).status, 400);
    const long = await call(port, 'POST', '/api/rooms/lobby/messages', { token: OTHER, body: { text: 'x'.repeat(1025) } });
    assert.equal(long.status, 413);
    const room = await call(port, 'POST', '/api/rooms/no%20such/messages', { token: OTHER, body: { text: 'hi' } });
    assert.equal(room.status, 400);
  });

  it('opens a room nobody is in, and lists rooms with counts and topics', async () => {
    const posted = await call(port, 'POST', '/api/rooms/ops/messages', { token: OTHER, body: { text: 'deployed', from: 'release' } });
    assert.equal(posted.status, 201);
    assert.equal(posted.body['from'], 'release[bot]');
    const rooms = await call(port, 'GET', '/api/rooms', { token: OTHER });
    assert.equal(rooms.status, 200);
    assert.ok((rooms.body['rooms'] as { name: string; count: number; topic: string }[]).some((r) => r.name === '#ops' && r.count === 0 && r.topic === ''));
    assert.equal((await call(port, 'GET', '/api/rooms/nowhere/messages', { token: OTHER })).status, 404);
  });

  it('limits each token with a token bucket: 429 and Retry-After past the burst', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const answer = await call(port, 'POST', '/api/rooms/lobby/messages', { token: TOKEN, body: { text: `burst ${i}` } });
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get('retry-after');
    }
    assert.ok(statuses.includes(429), statuses.join());
    assert.equal(retryAfter, '1');
  });

  it('a member cannot take a [bot] name', async () => {
    const line = await LineClient.connect(server.ports.line);
    try {
      line.send('/nick ci[bot]');
      await line.waitFor(/does not end with \[bot\]/);
      line.send('/nick CI[BOT]');
      await line.waitFor(/does not end with \[bot\]/);
    } finally {
      await line.close();
    }
  });

  it('long-poll: answers when a message arrives, and times out empty', async () => {
    const start = await call(port, 'GET', '/api/rooms/lobby/messages?limit=1', { token: OTHER });
    const last = Number(start.body['last']);
    const line = await LineClient.connect(server.ports.line);
    try {
      const waiting = call(port, 'GET', `/api/rooms/lobby/messages?after=${last}&wait=10`, { token: OTHER });
      // The long-poll is registered before the line is said: the gauge says so.
      await until(async () => /switchboard_api_long_polls 1/.test(await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text())), 'the long-poll waits');
      line.send('hello followers');
      const answer = await waiting;
      assert.equal(answer.status, 200);
      const messages = answer.body['messages'] as { text: string; bot: boolean; id: number }[];
      assert.equal(messages.length, 1);
      assert.equal(messages[0]?.text, 'hello followers');
      assert.equal(messages[0]?.bot, false);
      assert.equal(answer.body['last'], messages[0]?.id);
      const empty = await call(port, 'GET', `/api/rooms/lobby/messages?after=${messages[0]?.id}&wait=1`, { token: OTHER });
      assert.equal(empty.status, 200);
      assert.deepEqual(empty.body['messages'], []);
      assert.equal(empty.body['last'], messages[0]?.id);
      assert.equal((await call(port, 'GET', '/api/rooms/lobby/messages?after=0&wait=31', { token: OTHER })).status, 400);
    } finally {
      await line.close();
    }
  });
});

describe('bot API: off without tokens, long-polls end at shutdown', () => {
  it('answers 404 with how to turn it on', async () => {
    const server = await startTestServer();
    try {
      const answer = await call(server.ports.http, 'POST', '/api/rooms/lobby/messages', { token: TOKEN, body: { text: 'x' } });
      assert.equal(answer.status, 404);
      assert.match(String(answer.body['error']), /--api-token/);
    } finally {
      await server.close();
    }
  });

  it('a token holds at most --api-max-waits long-polls; a bot\'s post wakes them', async () => {
    const server = await startTestServer({ apiTokens: [`ci=${TOKEN}`], apiMaxWaits: 1 });
    const port = server.ports.http;
    try {
      const first = call(port, 'GET', '/api/rooms/lobby/messages?after=0&wait=10', { token: TOKEN });
      await until(async () => /switchboard_api_long_polls 1/.test(await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text())), 'the first long-poll waits');
      const second = await call(port, 'GET', '/api/rooms/lobby/messages?after=0&wait=10', { token: TOKEN });
      assert.equal(second.status, 429);
      assert.equal((await call(port, 'POST', '/api/rooms/lobby/messages', { token: TOKEN, body: { text: 'wake up' } })).status, 201);
      const answer = await first;
      assert.deepEqual((answer.body['messages'] as { text: string; bot: boolean }[]).map((m) => [m.text, m.bot]), [['wake up', true]]);
    } finally {
      await server.close();
    }
  });

  it('a long-poll outlasts the HTTP inactivity timeout (--http-request-timeout)', async () => {
    const server = await startTestServer({ apiTokens: [`ci=${TOKEN}`], httpHeaderTimeout: 1, httpRequestTimeout: 1 });
    try {
      const answer = await call(server.ports.http, 'GET', '/api/rooms/lobby/messages?after=0&wait=2', { token: TOKEN });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body['messages'], []);
    } finally {
      await server.close();
    }
  });

  it('a long-poll in progress answers (empty) when the server shuts down', async () => {
    const server = await startTestServer({ apiTokens: [`ci=${TOKEN}`], shutdownTimeout: 5 });
    const waiting = call(server.ports.http, 'GET', '/api/rooms/lobby/messages?after=0&wait=30', { token: TOKEN });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closed = server.close();
    const answer = await waiting;
    await closed;
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body['messages'], []);
  });
});
