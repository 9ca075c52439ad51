import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Page, expect, test } from '@playwright/test';
import { FramedClient, LineClient } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

/** The README's screenshots, committed; only `npm run screenshots` writes them. */
const DOCS_SHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
let server: ServerProcess;

/**
 * Where a screenshot goes: this test's folder under test-results/ (git-ignored) in an ordinary
 * run, so `npm test` leaves the work tree clean; docs/screenshots/ when `npm run screenshots` asks
 * (SWITCHBOARD_UPDATE_SCREENSHOTS=1), to update the committed ones on purpose.
 */
function shotPath(name: string): string {
  return updating() ? join(DOCS_SHOTS, name) : test.info().outputPath(name);
}

function updating(): boolean {
  return process.env['SWITCHBOARD_UPDATE_SCREENSHOTS'] === '1';
}

/** What a file holds, as a short string: a test failure shows two of these, not two images. */
function fingerprint(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent';
}

test.afterEach(async () => {
  await server.stop();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`README screenshot, ${scheme}`, async ({ browser }) => {
    server = await startServerProcess();
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1000, height: 620 } });
    const page = await context.newPage();
    const tcp = await FramedClient.connect(server.ports.tcp);
    const nc = await LineClient.connect(server.ports.line);
    const lobbyist = await LineClient.connect(server.ports.line);
    tcp.send('/nick ada');
    nc.send('/nick grace');
    lobbyist.send('/nick hopper');
    await page.goto(server.url);
    const nick = page.getByLabel('Nickname');
    await nick.fill('linus');
    await nick.press('Enter');
    const members = page.getByRole('list', { name: 'Members' });
    await expect(members.getByRole('listitem')).toHaveCount(4);
    // #ops, made from the page, joined by the framed and the line client; the lobby stays behind.
    await page.getByLabel('Join a room').fill('#ops');
    await page.getByLabel('Join a room').press('Enter');
    tcp.send('/join #ops');
    nc.send('/join #ops');
    await expect(members.getByRole('listitem')).toHaveCount(3);
    // One at a time, so the lines read in the same order in every run.
    const log = page.getByRole('log');
    nc.send('/topic release 1.4 goes out Thursday');
    await expect(log).toContainText('release 1.4 goes out Thursday');
    tcp.send('hello from the seed protocol 👋');
    await expect(log).toContainText('hello from the seed protocol 👋');
    nc.send('and hi from netcat');
    await expect(log).toContainText('and hi from netcat');
    const box = page.getByLabel('Message');
    await box.fill('browsers too — see https://example.org');
    await box.press('Enter');
    await expect(log).toContainText('browsers too');
    tcp.send('/me pours coffee');
    await expect(log).toContainText('ada pours coffee');
    // Something in the lobby and a direct message, both counted in the room list.
    lobbyist.send('standup in five minutes');
    nc.send('/msg linus lunch after the release?');
    const rooms = page.getByRole('navigation', { name: 'Rooms' });
    await expect(rooms.getByRole('link', { name: '#lobby (1 unread)' })).toBeVisible();
    await expect(rooms.getByRole('link', { name: 'grace (1 unread)' })).toBeVisible();
    await expect(page.getByText('release 1.4 goes out Thursday', { exact: true })).toBeVisible();
    const name = `page-${scheme}.png`;
    const committed = fingerprint(join(DOCS_SHOTS, name));
    await page.screenshot({ path: shotPath(name) });
    if (!updating()) {
      expect(fingerprint(join(DOCS_SHOTS, name)), 'docs/screenshots left as committed').toBe(committed);
      expect(fingerprint(test.info().outputPath(name)), 'the screenshot was taken').not.toBe('absent');
    }
    // The 👋 was drawn by a colour emoji font, not as a missing-glyph box (ensure-chromium.sh).
    expect(await fontsDrawing(page, 'hello from the seed protocol 👋')).toContainEqual(expect.stringMatching(/color emoji/i));
    await tcp.close();
    await nc.close();
    await lobbyist.close();
    await context.close();
  });
}

/** The families of the installed fonts Chromium drew an entry's text with (DevTools protocol). */
async function fontsDrawing(page: Page, text: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '.entry__text' });
  const families: string[] = [];
  for (const nodeId of nodeIds) {
    const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
    if (!outerHTML.includes(text)) continue;
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    families.push(...fonts.map((font) => font.familyName));
  }
  await cdp.detach();
  expect(families.length, `an entry reading "${text}"`).toBeGreaterThan(0);
  return families;
}
