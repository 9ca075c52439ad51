import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Locator, type Page, expect, test } from '@playwright/test';
import { FramedClient, LineClient } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

let dataDir: string;
let server: ServerProcess;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-rooms-'));
  server = await startServerProcess(undefined, ['--data-dir', dataDir]);
});

test.afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const log = (page: Page) => page.getByRole('log');
const rooms = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
const members = (page: Page) => page.getByRole('list', { name: 'Members' });
/** The conversation shown: the page's section named after it. */
const shown = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A conversation's link in the room list, whatever its unread count. */
function link(page: Page, name: string): Locator {
  return rooms(page).getByRole('link', { name: new RegExp(`^${escaped(name)}(?: \\(\\d+ unread\\))?$`) });
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Opens the page (at `path`), sets a nickname and waits until the server confirmed it. */
async function openAs(page: Page, nick: string, path = ''): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await expect(page.getByRole('status')).toHaveText('connected');
  const field = page.getByLabel('Nickname');
  await field.fill(nick);
  await field.press('Enter');
  await expect(members(page).getByRole('listitem').filter({ hasText: nick })).toBeVisible();
}

async function joinRoom(page: Page, name: string): Promise<void> {
  const field = page.getByLabel('Join a room');
  await field.fill(name);
  await field.press('Enter');
  await expect(shown(page, name.startsWith('#') ? name : `#${name}`)).toBeVisible();
}

async function type(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message');
  await box.fill(text);
  await box.press('Enter');
}

/** Says a line in the conversation shown, and waits for the server's echo of it there. */
async function say(page: Page, text: string): Promise<void> {
  await type(page, text);
  await expect(log(page).getByText(text, { exact: true })).toBeVisible();
}

test('two pages in different rooms see only their own room', async ({ browser }) => {
  const alice = await newPage(browser);
  const bob = await newPage(browser);
  await openAs(alice, 'alice');
  await openAs(bob, 'bob');
  await joinRoom(alice, '#ops');
  await joinRoom(bob, '#dev');
  await expect(alice).toHaveURL(/#\/room\/ops$/);
  const nc = await LineClient.connect(server.ports.line);
  nc.send('/join #ops');
  await nc.waitFor('you joined #ops');

  await say(alice, 'only for ops');
  await say(bob, 'only for dev');
  await nc.waitFor('only for ops');
  nc.send('ops answer from netcat');
  await expect(log(alice).getByText('ops answer from netcat')).toBeVisible();
  // Neither page has anything from the other's room, in any of its conversations.
  await expect(bob.getByText('only for ops')).toHaveCount(0);
  await expect(bob.getByText('ops answer from netcat')).toHaveCount(0);
  await expect(alice.getByText('only for dev')).toHaveCount(0);
  // The lobby, which both are in, has neither.
  await link(alice, '#lobby').click();
  await expect(shown(alice, '#lobby')).toBeVisible();
  await expect(log(alice).getByText('only for ops')).toHaveCount(0);
  // Each room lists its own members: netcat is in #ops, not in #dev.
  await link(alice, '#ops').click();
  await expect(members(alice).getByRole('listitem')).toHaveCount(2);
  await expect(members(bob).getByRole('listitem')).toHaveCount(1);
  await nc.close();
});

test('unread counts appear per room and per direct message, are announced, and clear when shown', async ({ page }) => {
  await openAs(page, 'reader');
  await joinRoom(page, '#ops');
  await link(page, '#lobby').click();
  await expect(shown(page, '#lobby')).toBeVisible();

  const nc = await LineClient.connect(server.ports.line);
  nc.send('/nick teller');
  nc.send('/join #ops');
  await nc.waitFor('you joined #ops');
  for (const text of ['ops one', 'ops two', 'ops three']) nc.send(text);
  await expect(link(page, '#ops')).toHaveAccessibleName('#ops (3 unread)');
  await expect(link(page, '#ops')).toContainText('3');
  await expect(page.locator('#room-announcer')).toHaveText('New messages in #ops');
  // The room being read counts nothing.
  await expect(link(page, '#lobby')).toHaveAccessibleName('#lobby');

  nc.send('/msg reader psst');
  await expect(link(page, 'teller')).toHaveAccessibleName('teller (1 unread)');
  await expect(page.locator('#room-announcer')).toHaveText('New direct message from teller');

  await link(page, '#ops').click();
  await expect(shown(page, '#ops')).toBeVisible();
  await expect(link(page, '#ops')).toHaveAccessibleName('#ops');
  await expect(link(page, '#ops')).toHaveAttribute('aria-current', 'page');
  await expect(link(page, '#lobby')).not.toHaveAttribute('aria-current', /.*/);
  for (const text of ['ops one', 'ops two', 'ops three']) await expect(log(page).getByText(text, { exact: true })).toHaveCount(1);
  await link(page, 'teller').click();
  await expect(link(page, 'teller')).toHaveAccessibleName('teller');
  await expect(log(page).getByText('psst', { exact: true })).toBeVisible();
  await nc.close();
});

test('a direct message from a click on a member reaches the other page, and a line client\'s /msg reaches the page', async ({ browser }) => {
  const alice = await newPage(browser);
  const bob = await newPage(browser);
  await openAs(alice, 'alice');
  await openAs(bob, 'bob');
  await members(alice).getByRole('button', { name: 'bob', exact: true }).click();
  await expect(shown(alice, 'bob')).toBeVisible();
  await expect(alice).toHaveURL(/#\/dm\/bob$/);
  await expect(alice.getByText('Direct messages are not stored by the server')).toBeVisible();
  // The click left the keyboard in the message box, now writing to bob.
  await expect(alice.getByLabel('Message bob')).toBeFocused();
  await say(alice, 'psst, bob');

  await expect(link(bob, 'alice')).toHaveAccessibleName('alice (1 unread)');
  await expect(log(bob).getByText('psst, bob')).toHaveCount(0);
  await link(bob, 'alice').click();
  await expect(log(bob).getByText('psst, bob', { exact: true })).toBeVisible();
  await type(bob, '/me nods');
  await expect(log(alice).getByText('nods')).toBeVisible();
  // Not in the lobby, for either of them.
  await link(alice, '#lobby').click();
  await expect(log(alice).getByText('psst, bob')).toHaveCount(0);

  const nc = await LineClient.connect(server.ports.line);
  nc.send('/nick netcat');
  await nc.waitFor('known as netcat');
  nc.send('/msg alice hello from a terminal');
  await expect(link(alice, 'netcat')).toHaveAccessibleName('netcat (1 unread)');
  await link(alice, 'netcat').click();
  await expect(log(alice).getByText('hello from a terminal', { exact: true })).toBeVisible();
  await say(alice, 'hello back, netcat');
  await nc.waitFor('hello back, netcat');
  // Close ends the direct messages on this page (the server keeps none to come back to).
  await alice.getByRole('button', { name: 'Close' }).click();
  await expect(link(alice, 'netcat')).toHaveCount(0);
  await expect(alice.getByLabel('Message #lobby')).toBeFocused();
  await nc.close();
});

test('the fragment names the room: a reload comes back to #ops with its history, once', async ({ page }) => {
  await openAs(page, 'reloader');
  await say(page, 'said in the lobby');
  await joinRoom(page, '#ops');
  await say(page, 'said in ops one');
  await say(page, 'said in ops two');
  await expect(page).toHaveURL(/#\/room\/ops$/);

  await page.reload();
  await expect(shown(page, '#ops')).toBeVisible();
  await expect(link(page, '#ops')).toHaveAttribute('aria-current', 'page');
  for (const text of ['said in ops one', 'said in ops two']) await expect(log(page).getByText(text, { exact: true })).toHaveCount(1);
  await expect(log(page).getByText('said in the lobby')).toHaveCount(0);
  await expect(link(page, '#lobby')).toBeVisible();

  // A link to a room the page is not in joins it.
  const other = await newPage(page.context().browser()!);
  await other.goto(`${server.url}#/room/newroom`);
  await expect(shown(other, '#newroom')).toBeVisible();
  await expect(link(other, '#newroom')).toHaveAttribute('aria-current', 'page');
});

test('after a server restart the page is back in its rooms with their history, nothing twice', async ({ page }) => {
  await openAs(page, 'survivor');
  await joinRoom(page, '#ops');
  await say(page, 'ops before the restart');
  await joinRoom(page, '#dev');
  await say(page, 'dev before the restart');

  const ports = server.ports;
  await server.stop();
  await expect(page.getByRole('status')).not.toHaveText('connected');
  // While the page is away, #ops gets a message through a server it cannot reach (same data dir).
  const elsewhere = await startServerProcess(undefined, ['--data-dir', dataDir]);
  const tcp = await FramedClient.connect(elsewhere.ports.tcp);
  tcp.send('/nick teller');
  tcp.send('/join #ops');
  await tcp.waitFor('you joined #ops');
  tcp.send('ops while away');
  tcp.send('/who');
  await tcp.waitFor('members of #ops');
  await tcp.close();
  await elsewhere.stop();
  server = await startServerProcess(ports, ['--data-dir', dataDir]);

  await expect(page.getByRole('status')).toHaveText('connected', { timeout: 15_000 });
  // #dev was shown: it is re-joined and still shown, its history once.
  await expect(shown(page, '#dev')).toBeVisible();
  await expect(members(page).getByRole('listitem').filter({ hasText: 'survivor' })).toBeVisible();
  await expect(link(page, '#ops')).toHaveAccessibleName('#ops (1 unread)');
  await link(page, '#ops').click();
  for (const text of ['ops before the restart', 'ops while away']) await expect(log(page).getByText(text, { exact: true })).toHaveCount(1);
  const lines = await log(page).innerText();
  expect(lines.indexOf('ops before the restart')).toBeLessThan(lines.indexOf('ops while away'));
  await say(page, 'ops after the restart');
  await link(page, '#dev').click();
  await expect(log(page).getByText('dev before the restart', { exact: true })).toHaveCount(1);

  // And a reload after all that: the same rooms, each with its history once.
  await page.reload();
  await expect(shown(page, '#dev')).toBeVisible();
  await link(page, '#ops').click();
  for (const text of ['ops before the restart', 'ops while away', 'ops after the restart']) await expect(log(page).getByText(text, { exact: true })).toHaveCount(1);
});

test('a reload that cannot connect keeps the rooms listed and the one shown; they are joined again once it can', async ({ page }) => {
  await openAs(page, 'patient');
  await joinRoom(page, '#ops');
  await say(page, 'ops before the outage');
  await joinRoom(page, '#dev');
  await link(page, '#ops').click();
  // The page loads, but its WebSocket is refused (a gateway down behind a proxy, say).
  let refuse = true;
  await page.routeWebSocket(/\/ws/, function routeOnWebSocket(socket) {
    if (refuse) socket.close({ code: 1013, reason: 'try again later' });
    else socket.connectToServer();
  });
  await page.reload();
  await expect(page.getByRole('status')).not.toHaveText('connected');
  await expect(shown(page, '#ops')).toBeVisible();
  await expect(link(page, '#dev')).toBeVisible();
  await expect(link(page, '#lobby')).toBeVisible();
  // Reloaded again while still refused: nothing remembered was lost by the first.
  await page.reload();
  await expect(link(page, '#dev')).toBeVisible();
  refuse = false;
  await page.getByRole('button', { name: 'Reconnect now' }).click();
  await expect(page.getByRole('status')).toHaveText('connected');
  await expect(log(page).getByText('ops before the outage', { exact: true })).toHaveCount(1);
  await link(page, '#dev').click();
  await expect(members(page).getByRole('listitem').filter({ hasText: 'patient' })).toBeVisible();
});

test('Alt+Up and Alt+Down switch conversations; each keeps its draft and the keyboard stays in the box', async ({ page }) => {
  await openAs(page, 'keys');
  await joinRoom(page, '#ops');
  await joinRoom(page, '#dev');
  const box = page.getByLabel('Message');
  await box.fill('a draft for dev');
  await box.press('Alt+ArrowUp');
  await expect(shown(page, '#ops')).toBeVisible();
  await expect(link(page, '#ops')).toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveURL(/#\/room\/ops$/);
  await expect(page.getByLabel('Message #ops')).toBeFocused();
  await expect(page.getByLabel('Message #ops')).toHaveValue('');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(shown(page, '#lobby')).toBeVisible();
  // The top of the list is the end: no wrapping round.
  await page.keyboard.press('Alt+ArrowUp');
  await expect(shown(page, '#lobby')).toBeVisible();
  await page.keyboard.press('Alt+ArrowDown');
  await page.keyboard.press('Alt+ArrowDown');
  await expect(shown(page, '#dev')).toBeVisible();
  await expect(page.getByLabel('Message #dev')).toHaveValue('a draft for dev');
  await expect(page.locator('#room-announcer')).toHaveText('#dev');
});

test('Leave parts the room: it leaves the list, and a reload does not bring it back', async ({ page }) => {
  await openAs(page, 'leaver');
  await joinRoom(page, '#ops');
  await page.getByRole('button', { name: 'Leave' }).click();
  await expect(shown(page, '#lobby')).toBeVisible();
  await expect(link(page, '#ops')).toHaveCount(0);
  // The button went with the room: the keyboard lands in the message box of the room shown now.
  await expect(page.getByLabel('Message #lobby')).toBeFocused();
  await expect(log(page).getByText('You left #ops.')).toBeVisible();
  // The default room has no Leave button: every connection is put back in it.
  await expect(page.getByRole('button', { name: 'Leave' })).toBeHidden();
  await page.reload();
  await expect(shown(page, '#lobby')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('connected');
  await expect(link(page, '#ops')).toHaveCount(0);
});

test('the topic shows in the header and follows a /topic from a line client; /join typed in the box shows the room', async ({ page }) => {
  await openAs(page, 'topical');
  await type(page, '/join #ops');
  await expect(shown(page, '#ops')).toBeVisible();
  const nc = await LineClient.connect(server.ports.line);
  nc.send('/join #ops');
  await nc.waitFor('you joined #ops');
  nc.send('/topic deploys on Tuesdays');
  const topic = shown(page, '#ops').getByText('deploys on Tuesdays', { exact: true });
  await expect(topic).toBeVisible();
  // Typed in the lobby, /join of a room the page is in already shows it.
  await link(page, '#lobby').click();
  await type(page, '/join #OPS');
  await expect(shown(page, '#ops')).toBeVisible();
  await nc.close();
});
