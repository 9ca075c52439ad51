import { type Page, expect, test } from '@playwright/test';
import { IrcTestClient } from '../server/test-support/irc-client.js';
import { type ServerProcess, freePort, startServerProcess } from '../server/test-support/server-process.js';

/**
 * Issue 14 from the browser's side: an IRC client (a raw socket speaking what irssi sends) and a
 * page in #lobby of the real `switchboard serve`.
 */
let server: ServerProcess;
let ircPort: number;

test.beforeEach(async () => {
  ircPort = await freePort();
  server = await startServerProcess(undefined, ['--irc-port', String(ircPort), '--irc-server-name', 'irc.test', '--presence-delay', '0']);
});

test.afterEach(async () => {
  await server.stop();
});

const log = (page: Page) => page.getByRole('log');
const members = (page: Page) => page.getByRole('list', { name: 'Members' });
const rooms = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });

async function openAs(page: Page, nick: string): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toHaveText('connected');
  const field = page.getByLabel('Nickname');
  await field.fill(nick);
  await field.press('Enter');
  await expect(members(page).getByRole('listitem').filter({ hasText: nick })).toBeVisible();
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message');
  await box.fill(text);
  await box.press('Enter');
}

/** The text of a PRIVMSG line (after ` :` following the target). */
function textOf(line: string): string {
  const command = line.indexOf(' PRIVMSG ');
  return line.slice(line.indexOf(' :', command) + 2);
}

test('an IRC client and a page share #lobby: chat both ways, the member list, a DM, /me, a long multi-line message', async ({ page }) => {
  await openAs(page, 'webby');
  const ada = await IrcTestClient.register(ircPort, 'ada');
  ada.send('JOIN #lobby');
  await ada.waitFor(/ 366 ada #lobby /);

  // The page lists the IRC member, with its transport.
  const adaItem = members(page).getByRole('listitem').filter({ hasText: 'ada' });
  await expect(adaItem).toBeVisible();
  await expect(adaItem.getByTitle('IRC client')).toHaveText('irc');

  ada.send('PRIVMSG #lobby :hello page, from IRC');
  await expect(log(page).getByText('hello page, from IRC', { exact: true })).toBeVisible();
  await say(page, 'hello IRC, from the page');
  expect(await ada.waitFor(/hello IRC, from the page/)).toBe(':webby!ws@irc.test PRIVMSG #lobby :hello IRC, from the page');

  ada.send('PRIVMSG #lobby :\u0001ACTION waves at the page\u0001');
  const action = log(page).locator('.entry--action').filter({ hasText: 'waves at the page' });
  await expect(action).toHaveText(/\* ada waves at the page$/);

  // A long message of two lines: each line its own PRIVMSG, the long one cut into several.
  const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ').repeat(2);
  await say(page, `short first line\n${long}`);
  expect(await ada.waitFor(/short first line/)).toBe(':webby!ws@irc.test PRIVMSG #lobby :short first line');
  const pieces: string[] = [];
  while (pieces.join('') !== long) {
    const line = await ada.waitFor(/^:webby!ws@irc\.test PRIVMSG #lobby :/);
    expect(Buffer.byteLength(`${line}\r\n`)).toBeLessThanOrEqual(512);
    pieces.push(textOf(line));
    expect(pieces.join('').length).toBeLessThanOrEqual(long.length);
  }
  expect(pieces.length).toBeGreaterThanOrEqual(3);

  // A direct message from the page: a click on ada in the member list, then a line.
  await members(page).getByRole('button', { name: 'ada', exact: true }).click();
  await expect(page.getByLabel('Message ada')).toBeFocused();
  await say(page, 'psst, ada');
  expect(await ada.waitFor(/psst, ada/)).toBe(':webby!ws@irc.test PRIVMSG ada :psst, ada');
  ada.send('PRIVMSG webby :psst back');
  await expect(log(page).getByText('psst back', { exact: true })).toBeVisible();

  await ada.quit();
  await rooms(page).getByRole('link', { name: /^#lobby/ }).click();
  await expect(members(page).getByRole('listitem').filter({ hasText: 'ada' })).toHaveCount(0);
});
