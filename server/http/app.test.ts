import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { ServerEvent } from '../../shared/events.js';
import { createMetrics } from '../metrics.js';
import { Room } from '../room/room.js';
import { ConnectionGate } from '../connection-gate.js';
import { TrafficStats } from '../stats.js';
import { buildApp } from './app.js';
import { isOriginAllowed } from './origin-check.js';

async function appWith(webRoot: string): Promise<{ app: FastifyInstance; room: Room }> {
  const logger = pino({ level: 'silent' });
  const stats = new TrafficStats();
  const room = new Room({ logger, stats });
  const gate = new ConnectionGate(0, 0);
  const app = await buildApp({ room, stats, metrics: createMetrics(room, stats), logger, maxPayload: 1024, allowedOrigins: [], webRoot, gate, pingIntervalMs: 0 });
  await app.ready();
  return { app, room };
}

describe('HTTP app (inject, no port)', () => {
  let app: FastifyInstance;
  let room: Room;
  let webRoot: string;
  before(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'switchboard-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Switchboard</title>');
    ({ app, room } = await appWith(webRoot));
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
    assert.deepEqual(response.json().members, { tcp: 0, line: 0, ws: 0 });
  });

  it('joins the room over injectWS and answers a bad event with an error event', async () => {
    const events: ServerEvent[] = [];
    const socket = await app.injectWS('/ws', {}, {
      onInit(ws) {
        ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString('utf8')) as ServerEvent));
      },
    });
    while (events.length < 2) await once(socket, 'message');
    assert.equal(events[0]?.type, 'welcome');
    assert.equal(room.size, 1);
    socket.send('[]');
    await once(socket, 'message');
    assert.deepEqual(events.at(-1), { type: 'error', code: 'SB_ERR_INVALID_EVENT', message: 'invalid event: not a JSON object' });
    socket.terminate();
  });

  it('refuses a cross-origin upgrade over injectWS', async () => {
    await assert.rejects(app.injectWS('/ws', { headers: { origin: 'https://evil.example' } }), /403/);
  });
});

describe('origin check', () => {
  it('allows same origin, listed origins, * and requests without Origin', () => {
    assert.ok(isOriginAllowed('http://localhost:8080', 'localhost:8080', []));
    assert.ok(isOriginAllowed(undefined, 'localhost:8080', []));
    assert.ok(isOriginAllowed('https://a.example', 'localhost:8080', ['https://a.example/']));
    assert.ok(isOriginAllowed('https://b.example', 'localhost:8080', ['*']));
  });

  it('refuses other origins, other ports and garbage', () => {
    assert.ok(!isOriginAllowed('https://evil.example', 'localhost:8080', []));
    assert.ok(!isOriginAllowed('http://localhost:9999', 'localhost:8080', []));
    assert.ok(!isOriginAllowed('null', 'localhost:8080', []));
  });
});
