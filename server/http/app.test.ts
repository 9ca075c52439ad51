import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { ServerEvent } from '../../shared/events.js';
import { createMetrics } from '../metrics.js';
import { OutputPolicy } from '../output/output-policy.js';
import { Hub } from '../hub/hub.js';
import { ConnectionGate } from '../connection-gate.js';
import { TrafficStats } from '../stats.js';
import { buildApp } from './app.js';
import { AllowedHosts } from './host-check.js';
import { isOriginAllowed } from './origin-check.js';
import { onceWithin } from '../test-support/deadline.js';

async function appWith(webRoot: string): Promise<{ app: FastifyInstance; hub: Hub }> {
  const logger = pino({ level: 'silent' });
  const stats = new TrafficStats();
  const hub = new Hub({ logger, stats });
  const gate = new ConnectionGate(0, 0);
  const policy = new OutputPolicy();
  const app = await buildApp({ hub, stats, metrics: createMetrics(hub, stats, policy), logger, maxPayload: 1024, allowedOrigins: [], webRoot, gate, policy, pingIntervalMs: 0 });
  app.addHook('onClose', async function closePolicy() {
    policy.close();
  });
  await app.ready();
  return { app, hub };
}

describe('HTTP app (inject, no port)', () => {
  let app: FastifyInstance;
  let hub: Hub;
  let webRoot: string;
  before(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'switchboard-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Switchboard</title>');
    ({ app, hub } = await appWith(webRoot));
  });
  after(async () => {
    await app.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves the built page at /', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<title>Switchboard<\/title>/);
  });

  it('says how to build the page when it is missing', async () => {
    const bare = await appWith(join(webRoot, 'missing'));
    const response = await bare.app.inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 503);
    assert.match(response.body, /npm run build/);
    await bare.app.close();
  });

  it('reports members per transport on /healthz', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().members, { tcp: 0, line: 0, ws: 0, irc: 0 });
  });

  it('joins the hub over injectWS and answers a bad event with an error event', async () => {
    const events: ServerEvent[] = [];
    const socket = await app.injectWS('/ws', {}, {
      onInit(ws) {
        ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString('utf8')) as ServerEvent));
      },
    });
    while (events.length < 2) await onceWithin(socket, 'message');
    assert.equal(events[0]?.type, 'welcome');
    assert.equal(hub.size, 1);
    socket.send('[]');
    await onceWithin(socket, 'message');
    assert.deepEqual(events.at(-1), { type: 'error', code: 'SB_ERR_INVALID_EVENT', message: 'invalid event: not a JSON object' });
    socket.terminate();
  });

  it('refuses a cross-origin upgrade over injectWS', async () => {
    await assert.rejects(app.injectWS('/ws', { headers: { origin: 'https://evil.example' } }), /403/);
  });
});

describe('origin check', () => {
  const hosts = new AllowedHosts('127.0.0.1', []);

  it('allows same origin, listed origins, * and requests without Origin', () => {
    assert.ok(isOriginAllowed('http://localhost:8080', 'localhost:8080', [], hosts));
    assert.ok(isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', [], hosts));
    assert.ok(isOriginAllowed('http://[::1]:8080', '[::1]:8080', [], hosts));
    assert.ok(isOriginAllowed(undefined, 'localhost:8080', [], hosts));
    assert.ok(isOriginAllowed('https://a.example', 'localhost:8080', ['https://a.example/'], hosts));
    assert.ok(isOriginAllowed('https://b.example', 'localhost:8080', ['*'], hosts));
  });

  it('refuses other origins, other ports and garbage', () => {
    assert.ok(!isOriginAllowed('https://evil.example', 'localhost:8080', [], hosts));
    assert.ok(!isOriginAllowed('http://localhost:9999', 'localhost:8080', [], hosts));
    assert.ok(!isOriginAllowed('null', 'localhost:8080', [], hosts));
  });

  it('refuses a rebound name even when Origin and Host agree (DNS rebinding), unless --allowed-hosts lists it', () => {
    assert.ok(!isOriginAllowed('http://evil.example:8080', 'evil.example:8080', [], hosts));
    assert.ok(isOriginAllowed('http://chat.example:8080', 'chat.example:8080', [], new AllowedHosts('127.0.0.1', ['chat.example'])));
  });
});

describe('allowed hosts', () => {
  it('knows localhost, IP addresses, the listen name and listed names, with or without a port', () => {
    const hosts = new AllowedHosts('chat.internal', ['Chat.Example.']);
    for (const host of ['localhost', 'LOCALHOST:8080', '127.0.0.1:8080', '[::1]:8080', '10.1.2.3', 'chat.internal:80', 'chat.example', 'chat.example.:8080', undefined]) {
      assert.ok(hosts.allowsHostHeader(host), String(host));
    }
  });

  it('refuses other names and malformed hosts; * allows all', () => {
    const hosts = new AllowedHosts('0.0.0.0', []);
    for (const host of ['evil.example', 'evil.example:8080', 'localhost.evil.example', '127.0.0.1.evil.example', 'a@localhost', 'local host', '']) {
      assert.ok(!hosts.allowsHostHeader(host), host);
    }
    assert.ok(new AllowedHosts('127.0.0.1', ['*']).allowsHostHeader('evil.example'));
  });
});
