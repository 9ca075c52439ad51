import { type Page, expect, test } from '@playwright/test';
import { FramedClient, seedDecode } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

let server: ServerProcess;

test.beforeEach(async () => {
  server = await startServerProcess();
});

test.afterEach(async () => {
  await server.stop();
});

async function openAs(page: Page, nick: string): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toHaveText('connected');
  const field = page.getByLabel('Nickname');
  await field.fill(nick);
  await field.press('Enter');
  await expect(page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: nick })).toBeVisible();
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message');
  await box.fill(text);
  await box.press('Enter');
}

test('/quit in the page: a goodbye, the others see the reason, and the page stays out until Rejoin', async ({ page }) => {
  const tcp = await FramedClient.connect(server.ports.tcp);
  await openAs(page, 'luncher');
  await tcp.waitFor('known as luncher');

  await say(page, '/quit off to lunch');
  expect(seedDecode(await tcp.waitFor('luncher left'))).toBe('*** luncher left (quit: off to lunch)');
  await expect(page.getByRole('log')).toContainText('goodbye (off to lunch)');
  // A page that was cut off says "reconnecting in N s…" and comes back by itself; this one does not.
  await expect(page.getByRole('status')).toHaveText('you left the chat');
  await expect(page.getByRole('log')).not.toContainText('Connection lost');

  await page.getByRole('button', { name: 'Rejoin' }).click();
  await expect(page.getByRole('status')).toHaveText('connected');
  // The page re-applies its nickname on every connection.
  await tcp.waitFor('known as luncher');
  await tcp.close();
});
