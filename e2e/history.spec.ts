import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { FramedClient } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

let dataDir: string;
let server: ServerProcess;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-history-'));
  server = await startServerProcess(undefined, ['--data-dir', dataDir]);
});

test.afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const log = (page: Page) => page.getByRole('log');

async function sayOverTcp(port: number, ...texts: string[]): Promise<void> {
  const tcp = await FramedClient.connect(port);
  tcp.send('/nick teller');
  await tcp.waitFor('known as teller');
  for (const text of texts) tcp.send(text);
  // Our own lines are not echoed on TCP; a /who round trip shows the server has read them.
  tcp.send('/who');
  await tcp.waitFor('members (');
  await tcp.close();
}

test('a new page is shown the recent history once', async ({ page }) => {
  await sayOverTcp(server.ports.tcp, 'said before the page came');
  await page.goto(server.url);
  await expect(log(page).getByText('said before the page came')).toHaveCount(1);
});

test('a page that lives through a restart shows every message once, including those sent while it was away', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toContainText(/connected/i);
  await sayOverTcp(server.ports.tcp, 'before the restart');
  await expect(log(page).getByText('before the restart')).toHaveCount(1);

  const ports = server.ports;
  await server.stop();
  await expect(page.getByRole('status')).not.toHaveText(/^connected$/i);
  // While the page is away, the same history gets messages through a server it cannot reach
  // (other ports, same data dir); then the server comes back where the page looks for it.
  const elsewhere = await startServerProcess(undefined, ['--data-dir', dataDir]);
  await sayOverTcp(elsewhere.ports.tcp, 'while away one', 'while away two');
  await elsewhere.stop();
  server = await startServerProcess(ports, ['--data-dir', dataDir]);

  await expect(page.getByRole('status')).toHaveText(/connected/i, { timeout: 15_000 });
  await expect(log(page).getByText('while away two')).toHaveCount(1);
  await sayOverTcp(server.ports.tcp, 'after the restart');
  await expect(log(page).getByText('after the restart')).toHaveCount(1);
  for (const text of ['before the restart', 'while away one', 'while away two']) {
    await expect(log(page).getByText(text)).toHaveCount(1);
  }
  // In order: what was missed sits between what came before and after.
  const entries = await log(page).innerText();
  const order = ['before the restart', 'while away one', 'while away two', 'after the restart'].map((t) => entries.indexOf(t));
  expect(order).toEqual([...order].sort((a, b) => a - b));
});
