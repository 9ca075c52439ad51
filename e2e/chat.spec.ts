import { type Page, expect, test } from '@playwright/test';
import { FramedClient, LineClient, seedDecode } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

let server: ServerProcess;

test.beforeEach(async () => {
  server = await startServerProcess();
});

test.afterEach(async () => {
  await server.stop();
});

/** Opens the page, sets a nickname and waits until the server confirmed it in the member list. */
async function openAs(page: Page, nick: string): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toContainText(/connected/i);
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

const log = (page: Page) => page.getByRole('log');

test('browser ↔ framed TCP client, both ways', async ({ page }) => {
  const tcp = await FramedClient.connect(server.ports.tcp);
  tcp.send('/nick tcp-ada');
  await openAs(page, 'web-bob');
  await tcp.waitFor('known as web-bob');

  tcp.send('hello browser 👋 שלום');
  await expect(log(page)).toContainText('hello browser 👋 שלום');
  await expect(log(page).getByText('tcp-ada').last()).toBeVisible();

  await say(page, 'hello tcp ✓');
  expect(seedDecode(await tcp.waitFor('hello tcp'))).toBe('web-bob hello tcp ✓');
  // Own message shown once, from the server's echo.
  await expect(log(page).getByText('hello tcp ✓')).toHaveCount(1);

  // Shift+Enter makes a new line inside one message; Send button works too.
  const box = page.getByLabel('Message');
  await box.fill('first line');
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  await page.getByRole('button', { name: 'Send' }).click();
  expect(seedDecode(await tcp.waitFor('second line'))).toBe('web-bob first line␤second line');
  await tcp.close();
});

test('two browsers chat', async ({ browser }) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  await openAs(alice, 'alice');
  await openAs(bob, 'bob');
  await say(alice, 'hi bob, from alice');
  await expect(log(bob)).toContainText('hi bob, from alice');
  await say(bob, '/me waves back');
  await expect(log(alice)).toContainText('bob waves back');
});

test('browser ↔ line (netcat) client', async ({ page }) => {
  const nc = await LineClient.connect(server.ports.line);
  nc.send('/nick netcat');
  await openAs(page, 'webby');
  await say(page, 'to netcat\nwith a newline');
  expect(seedDecode(await nc.waitFor('to netcat'))).toBe('webby to netcat␤with a newline');
  nc.send('from netcat');
  await expect(log(page)).toContainText('from netcat');
  await nc.close();
});

test('a nick change shows in the member list of another browser', async ({ browser }) => {
  const watcher = await (await browser.newContext()).newPage();
  const renamer = await (await browser.newContext()).newPage();
  await openAs(watcher, 'watcher');
  await openAs(renamer, 'before');
  const members = watcher.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem').filter({ hasText: 'before' })).toBeVisible();
  const field = renamer.getByLabel('Nickname');
  await field.fill('after');
  await field.press('Enter');
  await expect(members.getByRole('listitem').filter({ hasText: 'after' })).toBeVisible();
  await expect(members.getByRole('listitem').filter({ hasText: 'before' })).toHaveCount(0);
});

test('a nickname collision shows the server refusal', async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await openAs(first, 'taken');
  await second.goto(server.url);
  await expect(second.getByRole('status')).toContainText(/connected/i);
  const field = second.getByLabel('Nickname');
  await field.fill('TAKEN');
  await field.press('Enter');
  await expect(second.getByText(/taken is taken|TAKEN is taken/).first()).toBeVisible();
});

test('a look-alike holding our remembered name is refused to us, and the page takes the name once it leaves', async ({ browser }) => {
  const tcp = await FramedClient.connect(server.ports.tcp);
  tcp.send('/nick \u0251lice');
  await tcp.waitFor('is now known as \u0251lice');
  const context = await browser.newContext();
  await context.addInitScript({ content: "localStorage.setItem('switchboard.nickname', 'alice');" });
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page.getByText('nickname refused: alice is taken').first()).toBeVisible();
  // The page compares the freed name with the one it wants by the server's rule (loaded on demand).
  await tcp.close();
  const members = page.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem').filter({ hasText: /^alice/ })).toBeVisible();
  await context.close();
});

test('the page reconnects by itself after a server restart and chats again', async ({ page }) => {
  await openAs(page, 'survivor');
  const ports = server.ports;
  await server.stop();
  await expect(page.getByRole('status')).not.toHaveText(/^connected$/i);
  server = await startServerProcess(ports);
  await expect(page.getByRole('status')).toHaveText(/connected/i, { timeout: 15_000 });
  const tcp = await FramedClient.connect(server.ports.tcp);
  // The page re-applies its remembered nickname on the new connection.
  await expect(page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: 'survivor' })).toBeVisible();
  tcp.send('/who');
  await tcp.waitFor('survivor (ws)');
  await say(page, 'back after restart');
  expect(seedDecode(await tcp.waitFor('back after restart'))).toBe('survivor back after restart');
  await tcp.close();
});

test('markup in a message shows as text and runs nothing', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await openAs(page, 'reader');
  const tcp = await FramedClient.connect(server.ports.tcp);
  const payload = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  tcp.send(payload);
  await expect(log(page)).toContainText(payload);
  await expect(log(page).locator('img, script')).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  await tcp.close();
});

test('links are clickable but only http(s)', async ({ page }) => {
  await openAs(page, 'linker');
  const tcp = await FramedClient.connect(server.ports.tcp);
  tcp.send('see https://example.org/a?b=1 and javascript:alert(1)');
  const link = log(page).getByRole('link', { name: 'https://example.org/a?b=1' });
  await expect(link).toHaveAttribute('href', 'https://example.org/a?b=1');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(log(page).getByRole('link')).toHaveCount(1);
  await tcp.close();
});
