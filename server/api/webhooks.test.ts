import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Hub } from '../hub/hub.js';
import { OutgoingMessage } from '../message/outgoing-message.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { LineClient, startTestServer } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { WebhookReceiver as Receiver } from '../test-support/webhook-receiver.js';
import { Webhooks, parseWebhook } from './webhooks.js';

const SECRET = 'webhook-secret-0123456789';

describe('webhook specs', () => {
  it('takes URL and ROOM=URL, refuses the rest', () => {
    assert.deepEqual(parseWebhook('http://127.0.0.1:9/x'), { room: null, url: 'http://127.0.0.1:9/x' });
    assert.deepEqual(parseWebhook('#Ops=https://example.com/h?a=b'), { room: '#ops', url: 'https://example.com/h?a=b' });
    assert.deepEqual(parseWebhook('ops=https://example.com/'), { room: '#ops', url: 'https://example.com/' });
    assert.throws(() => parseWebhook('ftp://example.com/'), /form is/);
    assert.throws(() => parseWebhook('no such=http://example.com/'), /not a room name/);
  });

  it('takes room=…,url=…,secret=… with a secret of its own, and never shows that secret in an error', () => {
    const secret = 'its-own-secret-0123456789';
    assert.deepEqual(parseWebhook(`room=#ops,url=https://example.com/h?a=1,2,secret=${secret}`), { room: '#ops', url: 'https://example.com/h?a=1,2', secret });
    assert.deepEqual(parseWebhook('url=https://example.com/all'), { room: null, url: 'https://example.com/all' });
    assert.deepEqual(parseWebhook('room=https://example.com/'), parseWebhook('#room=https://example.com/'), 'ROOM=URL for a room called room');
    assert.throws(() => parseWebhook(`room=#ops,secret=${secret}`), /url= is missing/);
    assert.throws(() => parseWebhook('url=https://example.com/,url=https://example.org/'), /given twice/);
    assert.throws(() => parseWebhook('url=https://example.com/,secret=short'), /at least 16 characters/);
    assert.throws(
      () => parseWebhook(`room=no such,url=https://example.com/,secret=${secret}`),
      (error: Error) => /not a room name/.test(error.message) && !error.message.includes(secret) && error.message.includes('secret=***'),
    );
  });
});

describe('webhooks: a real server\'s messages to a real receiver', () => {
  let receiver: Receiver;
  let server: RunningSwitchboard;
  before(async () => {
    receiver = new Receiver();
    const url = await receiver.start();
    server = await startTestServer({ webhooks: [`#lobby=${url}`], webhookSecret: SECRET, apiTokens: ['ci=ci-token-0123456789abcdef'] });
  });
  after(async () => {
    await server.close();
    await receiver.stop();
  });

  it('POSTs a member\'s message, signed; never a bot\'s own', async () => {
    const line = await LineClient.connect(server.ports.line);
    try {
      const bot = await fetch(`http://127.0.0.1:${server.ports.http}/api/rooms/lobby/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer ci-token-0123456789abcdef', 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'from the bot' }),
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(bot.status, 201);
      line.send('from a member');
      await until(() => receiver.received.length >= 1, 'the webhook got a message');
      const [first] = receiver.received;
      const payload = JSON.parse(first!.body) as Record<string, unknown>;
      assert.equal(payload['text'], 'from a member');
      assert.equal(payload['room'], '#lobby');
      assert.equal(payload['bot'], false);
      assert.ok(Number(payload['id']) > 0);
      assert.equal(first!.signature, `sha256=${createHmac('sha256', SECRET).update(first!.body).digest('hex')}`);
      assert.equal(receiver.received.length, 1, 'the bot\'s message was not sent back');
    } finally {
      await line.close();
    }
  });
});

describe('webhooks: retries', () => {
  const logger = pino({ level: 'silent' });

  function say(hub: Hub, text: string): void {
    const opened = hub.rooms.open('#ops');
    if ('refusal' in opened) throw new Error(opened.refusal);
    const message = new OutgoingMessage({ kind: 'chat', room: opened.channel, id: hub.nextMessageId(), time: Date.now(), text, from: { id: 7, name: 'alice' } });
    opened.channel.deliverMessage(message, undefined);
  }

  it('retries after a 500 with backoff, in order; gives up after the bound and goes on', async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    const hub = new Hub({ logger });
    const registry = new Registry();
    const webhooks = new Webhooks(hub, [url], null, logger, registry, { retryBaseMs: 10, maxAttempts: 3 });
    try {
      receiver.statuses.push(500, 503);
      say(hub, 'one');
      say(hub, 'two');
      await until(() => receiver.received.length >= 4, 'one was tried 3 times, then two once', 5000);
      assert.deepEqual(receiver.received.map((r) => (JSON.parse(r.body) as { text: string }).text), ['one', 'one', 'one', 'two']);
      assert.equal(receiver.received[0]!.signature, undefined, 'unsigned without a secret');
      receiver.statuses.push(500, 500, 500);
      say(hub, 'three');
      say(hub, 'four');
      await until(() => receiver.received.length >= 8, 'three given up on after 3 attempts, then four', 5000);
      assert.deepEqual(receiver.received.slice(4).map((r) => (JSON.parse(r.body) as { text: string }).text), ['three', 'three', 'three', 'four']);
      const metrics = await registry.metrics();
      assert.match(metrics, /switchboard_webhook_deliveries_total\{result="delivered"\} 3/);
      assert.match(metrics, /switchboard_webhook_deliveries_total\{result="failed"\} 1/);
      assert.match(metrics, /switchboard_webhook_retries_total 4/);
    } finally {
      webhooks.close();
      await receiver.stop();
    }
  });

  it('drops and counts messages past a full queue; chat never waits', async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    const hub = new Hub({ logger });
    const registry = new Registry();
    const webhooks = new Webhooks(hub, [`ops=${url}`], null, logger, registry, { maxQueue: 2, retryBaseMs: 10 });
    try {
      for (let i = 0; i < 5; i += 1) say(hub, `m${i}`);
      await until(() => receiver.received.length >= 2, 'the queued ones arrived', 5000);
      const metrics = await registry.metrics();
      assert.match(metrics, /switchboard_webhook_deliveries_total\{result="dropped"\} 3/);
    } finally {
      webhooks.close();
      await receiver.stop();
    }
  });
});

describe('webhooks: each keyed webhook signs with its own secret', () => {
  it('signs with the webhook\'s secret, not --webhook-secret', async () => {
    const own = 'its-own-secret-0123456789';
    const receiver = new Receiver();
    const url = await receiver.start();
    const server = await startTestServer({ webhooks: [`room=#lobby,url=${url},secret=${own}`], webhookSecret: SECRET });
    const line = await LineClient.connect(server.ports.line);
    try {
      line.send('signed with its own key');
      await until(() => receiver.received.length >= 1, 'the webhook got the message');
      const [first] = receiver.received;
      assert.equal(first!.signature, `sha256=${createHmac('sha256', own).update(first!.body).digest('hex')}`);
    } finally {
      await line.close();
      await server.close();
      await receiver.stop();
    }
  });
});
