import { expect, test } from '@playwright/test';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

/** Issue 16 from the browser's side: a bot's post through the HTTP API reaches the page as a bot's line. */
const TOKEN = 'ci-token-0123456789abcdef';
let server: ServerProcess;

test.beforeEach(async () => {
  server = await startServerProcess(undefined, ['--api-token', `ci=${TOKEN}`, '--presence-delay', '0']);
});

test.afterEach(async () => {
  await server.stop();
});

test('a bot posting to #lobby shows on the page as "ci" with a bot badge, in the log with the others', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toHaveText('connected');
  const posted = await fetch(`http://127.0.0.1:${server.ports.http}/api/rooms/lobby/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'build 42 passed', from: 'ci' }),
  });
  expect(posted.status).toBe(201);
  const entry = page.getByRole('log').locator('.entry--bot', { hasText: 'build 42 passed' });
  await expect(entry).toBeVisible();
  await expect(entry.locator('.entry__bot')).toHaveText('bot');
  await expect(entry.locator('.entry__sender')).toHaveText(/^ci bot/);
  await expect(entry).toContainText('build 42 passed');
});
