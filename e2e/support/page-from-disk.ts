import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { BrowserContext, Route } from '@playwright/test';

const WEB_ROOT = join(import.meta.dirname, '../../dist/web');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves the built page's files to this context from disk, so its only connection to the server
 * is the WebSocket (not intercepted by `route`). For specs about WebSocket refusals at a
 * connection cap: the page's own file requests would otherwise count in the cap too (HTTP
 * sockets are gated like every transport) and could be what is refused.
 */
export async function servePageFromDisk(context: BrowserContext): Promise<void> {
  // A document fulfilled by `route` has no address, so Chromium counts it as public and would
  // block its WebSocket to 127.0.0.1 (Local Network Access) unless allowed, as a user would.
  await context.grantPermissions(['local-network-access']);
  await context.route(/\/(?!ws)[^?#]*(\?.*)?$/, async function fromDisk(route: Route) {
    const url = new URL(route.request().url());
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = normalize(join(WEB_ROOT, path));
    if (!file.startsWith(WEB_ROOT)) return route.fulfill({ status: 404 });
    try {
      const body = await readFile(file);
      return await route.fulfill({ status: 200, body, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
}
