import { expect, test } from '@playwright/test';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

let server: ServerProcess;

test.beforeEach(async () => {
  server = await startServerProcess();
});

test.afterEach(async () => {
  await server.stop();
});

/**
 * The page's first script carries the page, not the nickname policy: that brings ~160 kB of
 * Unicode tables (shared/nick.ts), loaded only when the page has a name to compare. One static
 * import of a module that reaches nick.ts (shared/room-name.ts does) folds them into it.
 */
test('the first script stays small: the nickname tables are not in it', async ({ request }) => {
  const html = await (await request.get(server.url)).text();
  const src = /<script type="module"[^>]* src="([^"]+)"/.exec(html)?.[1];
  expect(src, 'index.html loads a module script').toBeDefined();
  const script = await (await request.get(new URL(src!, server.url).href)).body();
  expect(script.length, 'bytes of the first script').toBeLessThan(100_000);
});
