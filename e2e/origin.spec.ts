import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

let server: ServerProcess;
let foreign: http.Server;

test.beforeEach(async () => {
  server = await startServerProcess();
  // Another origin: same host, other port. Its page tries to open Switchboard's WebSocket.
  foreign = http.createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<!doctype html><title>other site</title><script>
      const ws = new WebSocket('ws://127.0.0.1:${server.ports.http}/ws');
      ws.onopen = () => { document.title = 'opened'; };
      ws.onerror = () => { document.title = 'refused'; };
    </script>`);
  });
  foreign.listen(0, '127.0.0.1');
  await once(foreign, 'listening');
});

test.afterEach(async () => {
  foreign.close();
  await server.stop();
});

test('a page from another origin cannot open the WebSocket', async ({ page }) => {
  const { port } = foreign.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page).toHaveTitle('refused');
  const health = (await (await fetch(`${server.url}healthz`)).json()) as { members: { ws: number } };
  expect(health.members.ws).toBe(0);
  expect(server.log()).toContain('origin not allowed');
});
