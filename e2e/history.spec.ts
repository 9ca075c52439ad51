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
  // Some tests store more lines at once than the default flood limit lets one client send.
  server = await startServerProcess(undefined, ['--data-dir', dataDir, '--rate-limit', '0']);
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
  await tcp.waitFor('members of #lobby (');
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

/** The log's lines in reading order, as a person (or a screen reader) meets them. */
async function logLines(page: Page): Promise<string[]> {
  return (await log(page).innerText()).split('\n').filter((line) => line.trim() !== '');
}

/**
 * Walks the log's "away N" lines and lost notes in order: `next` is the number the walk expects
 * after the last one (21 when 1..20 are all accounted for, each once, in order).
 */
function accountFor(lines: string[]): { stored: number; lost: number; next: number } {
  let next = 1;
  let stored = 0;
  let lost = 0;
  for (const line of lines) {
    const note = /(\d+) messages? from while you were away (?:was|were) lost by the server/.exec(line);
    const away = /away (\d+) x+/.exec(line);
    if (note !== null) {
      lost += Number(note[1]);
      next += Number(note[1]);
    } else if (away !== null) {
      // Out of order or shown twice: the walk can no longer reach 21 with these counts.
      if (Number(away[1]) !== next) return { stored, lost, next: -Number(away[1]) };
      stored += 1;
      next += 1;
    }
  }
  return { stored, lost, next };
}

function indexOfLine(lines: string[], text: string): number {
  const index = lines.findIndex((line) => line.includes(text));
  expect(index, `"${text}" in the log`).toBeGreaterThanOrEqual(0);
  return index;
}

test('history, recent and scrolled back, sits above the welcome notice, in order', async ({ page }) => {
  const said = Array.from({ length: 80 }, (_, i) => `stored line ${i + 1}`);
  await sayOverTcp(server.ports.tcp, ...said);
  await page.goto(server.url);
  await expect(log(page).getByText('stored line 80', { exact: true })).toBeVisible();
  // Scroll to the top until the first line ever said has been loaded.
  await expect(async () => {
    await log(page).evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(log(page).getByText('stored line 1', { exact: true })).toBeAttached({ timeout: 500 });
  }).toPass({ timeout: 7_000 });

  const lines = await logLines(page);
  const welcome = indexOfLine(lines, 'welcome to switchboard');
  const positions = said.map((text) => lines.findIndex((line) => line.endsWith(text)));
  expect(positions.every((index) => index >= 0), 'every stored line is shown').toBe(true);
  expect(positions, 'stored lines in the order they were said').toEqual([...positions].sort((a, b) => a - b));
  expect(Math.max(...positions), 'the newest stored line comes before the welcome notice').toBeLessThan(welcome);
});

test('what was missed while away sits above the new welcome notice, below the "connection lost" one', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toHaveText(/connected/i);
  await sayOverTcp(server.ports.tcp, 'before the break');
  await expect(log(page).getByText('before the break', { exact: true })).toBeVisible();
  const ports = server.ports;
  await server.stop();
  await expect(log(page).getByText('Connection lost', { exact: false })).toBeVisible();
  const elsewhere = await startServerProcess(undefined, ['--data-dir', dataDir]);
  await sayOverTcp(elsewhere.ports.tcp, 'missed while away');
  await elsewhere.stop();
  server = await startServerProcess(ports, ['--data-dir', dataDir]);
  await expect(log(page).getByText('missed while away', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(log(page).getByText(/welcome to switchboard/)).toHaveCount(2);

  const lines = await logLines(page);
  const lost = indexOfLine(lines, 'Connection lost');
  const missed = indexOfLine(lines, 'missed while away');
  const secondWelcome = lines.findLastIndex((line) => line.includes('welcome to switchboard'));
  expect(indexOfLine(lines, 'before the break')).toBeLessThan(lost);
  expect(lost).toBeLessThan(missed);
  expect(missed).toBeLessThan(secondWelcome);
});

test('when the server has another history, the log starts over: its lines, the notice that says so, then the welcome', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toHaveText(/connected/i);
  await sayOverTcp(server.ports.tcp, 'in the old history');
  await expect(log(page).getByText('in the old history', { exact: true })).toBeVisible();
  const ports = server.ports;
  await server.stop();
  const otherDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-history-other-'));
  try {
    const elsewhere = await startServerProcess(undefined, ['--data-dir', otherDir]);
    await sayOverTcp(elsewhere.ports.tcp, 'in the new history');
    await elsewhere.stop();
    server = await startServerProcess(ports, ['--data-dir', otherDir]);
    await expect(log(page).getByText('in the new history', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(log(page).getByText('in the old history', { exact: true })).toHaveCount(0);
    await expect(log(page).getByText(/welcome to switchboard/)).toHaveCount(1);
    const lines = await logLines(page);
    expect(indexOfLine(lines, 'in the new history')).toBeLessThan(indexOfLine(lines, 'Too much was missed'));
    expect(indexOfLine(lines, 'Too much was missed')).toBeLessThan(indexOfLine(lines, 'welcome to switchboard'));
    await server.stop();
  } finally {
    rmSync(otherDir, { recursive: true, force: true });
  }
});

test('a page away while the server could not store messages says how many were lost, after those it has', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toContainText(/connected/i);
  await sayOverTcp(server.ports.tcp, 'before the disk filled');
  await expect(log(page).getByText('before the disk filled')).toHaveCount(1);

  const ports = server.ports;
  await server.stop();
  // While the page is away the database is full (12 pages hold only a few of these messages),
  // so most of what is said goes out to the members there but is never stored.
  const full = await startServerProcess(undefined, ['--data-dir', dataDir, '--history-max-pages', '12']);
  const texts = Array.from({ length: 20 }, (_, i) => `away ${i + 1} ${'x'.repeat(3000)}`);
  await sayOverTcp(full.ports.tcp, ...texts);
  await full.stop();
  server = await startServerProcess(ports, ['--data-dir', dataDir]);
  // What was stored, read once every write has ended (the full server has stopped).
  const stored = ((await (await fetch(`${server.url}history?limit=100`)).json()) as { messages: { text: string }[] }).messages.filter((m) => m.text.startsWith('away '));
  const lost = texts.length - stored.length;
  expect(lost).toBeGreaterThan(5);

  await expect(page.getByRole('status')).toHaveText(/connected/i, { timeout: 15_000 });
  // Which batches the full disk refused depends on how the lines were read (a refused batch is
  // lost whole, a later smaller one may still fit), so the lost ones can be one range or several.
  // Read the log in order: each note must account for exactly the numbers missing before the next
  // stored line, and together the notes and the stored lines must cover all twenty, once each.
  await expect
    .poll(async () => accountFor(await logLines(page)), { timeout: 7_000 })
    .toEqual({ stored: stored.length, lost, next: texts.length + 1 });
});
