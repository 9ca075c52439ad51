import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type RouteOptions } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Hub } from '../hub/hub.js';
import { botApi } from './api-routes.js';
import { ApiTokens } from './api-tokens.js';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

describe('/api/openapi.json', () => {
  it('describes every route of the bot API, with every method', async () => {
    const logger = pino({ level: 'silent' });
    const hub = new Hub({ logger });
    const app = Fastify();
    const routes: RouteOptions[] = [];
    app.addHook('onRoute', function collect(route) {
      routes.push(route);
    });
    await app.register(botApi, { hub, tokens: new ApiTokens(['ci=ci-token-0123456789abcdef']), metrics: new Registry(), logger, maxPayload: 1024, rateLimit: 1, rateBurst: 1, maxWaits: 1 });
    await app.ready();
    try {
      const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      assert.equal(response.statusCode, 200);
      const document = response.json<OpenApi>();
      assert.match(document.openapi, /^3\./);
      const described = new Set(Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`)));
      const served = routes.flatMap((route) => (Array.isArray(route.method) ? route.method : [route.method]).filter((method) => method !== 'HEAD').map((method) => `${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`));
      assert.ok(served.length >= 4, served.join());
      for (const route of served) assert.ok(described.has(route), `${route} is not in the OpenAPI document`);
      assert.equal(described.size, new Set(served).size, 'the document describes no route that is not served');
    } finally {
      await app.close();
    }
  });
});
