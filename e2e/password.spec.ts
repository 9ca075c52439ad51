import { type Page, expect, test } from '@playwright/test';
import { FramedClient, seedDecode } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

const SECRET = 's3cret words';
let server: ServerProcess;

test.beforeEach(async () => {
  server = await startServerProcess(undefined, ['--password', SECRET]);
});

test.afterEach(async () => {
  await server.stop();
});

const members = (page: Page) => page.getByRole('list', { name: 'Members' });

test('the page asks for the server password, says when it is wrong, then chats and keeps it for the tab', async ({ page }) => {
  const tcp = await FramedClient.open(server.ports.tcp);
  tcp.send(`/pass ${SECRET}`);
  await tcp.waitFor('welcome to');
  tcp.send('/nick tcp-ada');
  await tcp.waitFor('is now known as tcp-ada');

  await page.goto(server.url);
  const password = page.getByLabel('Server password');
  await expect(password).toBeVisible();
  await expect(password).toBeFocused();
  await password.fill('a guess');
  await password.press('Enter');
  await expect(page.getByText('Wrong password.')).toBeVisible();
  await expect(password).toHaveAttribute('aria-invalid', 'true');

  // The page reconnects by itself; the form is still there for another try.
  await password.fill(SECRET);
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(password).toBeHidden();
  await expect(members(page).getByRole('listitem').filter({ hasText: 'tcp-ada' })).toBeVisible();

  const nickname = page.getByLabel('Nickname');
  await nickname.fill('web-bob');
  await nickname.press('Enter');
  await tcp.waitFor('known as web-bob');
  tcp.send('hello behind the password');
  await expect(page.getByRole('log')).toContainText('hello behind the password');
  const box = page.getByLabel('Message');
  await box.fill('hello from the page');
  await box.press('Enter');
  expect(seedDecode(await tcp.waitFor('hello from the page'))).toBe('web-bob hello from the page');

  // A reload in the same tab sends the remembered password: no form this time.
  await page.reload();
  await expect(members(page).getByRole('listitem').filter({ hasText: 'web-bob' })).toBeVisible();
  await expect(password).toBeHidden();
  await tcp.close();
});
