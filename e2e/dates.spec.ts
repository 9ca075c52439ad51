import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, expect, test } from '@playwright/test';
import { SqliteHistory } from '../server/history/sqlite-history.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

/** The default room's key, which the store files its messages under. */
const LOBBY = '#lobby';

/** Epoch ms of a wall-clock time in Paris in March 2025 (UTC+1, no DST switch that month). */
function paris(day: number, hours: number, minutes: number): number {
  return Date.UTC(2025, 2, day, hours - 1, minutes);
}

/**
 * Stored before the server starts, through the server's own history store: 55 lines on Saturday
 * 1 March, then one a minute before and one a minute after midnight between Monday 3 and Tuesday
 * 4 March (the same UTC day: only the reader's time zone splits them).
 */
const STORED = [
  ...Array.from({ length: 55 }, (_, i) => ({ text: `saturday line ${i + 1}`, time: paris(1, 10, i) })),
  { text: 'a minute before midnight', time: paris(3, 23, 59) },
  { text: 'a minute after midnight', time: paris(4, 0, 1) },
];

let dataDir: string;
let server: ServerProcess;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-dates-'));
  const history = new SqliteHistory({ dataDir, retention: { kind: 'all' } });
  STORED.forEach(({ text, time }, index) => history.append(LOBBY, { id: index + 1, time, kind: 'chat', from: 'teller', fromId: 1, text }));
  history.close();
  server = await startServerProcess(undefined, ['--data-dir', dataDir, '--history-retain', 'all']);
});

test.afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openInParis(browser: Browser, options: { hasTouch?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ timezoneId: 'Europe/Paris', locale: 'en-GB', ...options });
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page.getByRole('log').getByText('a minute after midnight')).toBeVisible();
  return page;
}

/** Each day heading and each line, in reading order: "# date" for a heading, the text for a line. */
async function outline(page: Page): Promise<string[]> {
  return page.getByRole('log').evaluate((log) =>
    [...log.children].map((child) =>
      child.matches('h2') ? `# ${child.textContent ?? ''}` : (child.querySelector('.entry__text')?.textContent ?? ''),
    ),
  );
}

test('day headings split the log by local day, and screen readers get them as headings', async ({ browser }) => {
  const page = await openInParis(browser);
  const log = page.getByRole('log');
  await expect(log.getByRole('heading', { level: 2, name: /^Saturday,? 1 March 2025$/ })).toHaveCount(1);
  await expect(log.getByRole('heading', { level: 2, name: /^Monday,? 3 March 2025$/ })).toHaveCount(1);
  await expect(log.getByRole('heading', { level: 2, name: /^Tuesday,? 4 March 2025$/ })).toHaveCount(1);

  const lines = await outline(page);
  const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  expect(at(/^# Saturday/), 'the first line of the log is its day heading').toBe(0);
  expect(at(/^# Monday/)).toBe(at(/^a minute before midnight$/) - 1);
  expect(at(/^# Tuesday/)).toBe(at(/^a minute after midnight$/) - 1);
  // Today's welcome notice gets today's heading, the one after all the stored lines.
  expect(at(/welcome to switchboard/) - 1).toBe(lines.length - 2);
  expect(lines[lines.length - 2]).toMatch(/^# /);
  expect(lines.filter((line) => line.startsWith('# '))).toHaveLength(4);
});

test('scrolling back keeps one heading per day, at the top of the older lines', async ({ browser }) => {
  const page = await openInParis(browser);
  const log = page.getByRole('log');
  await expect(async () => {
    await log.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(log.getByText('saturday line 1', { exact: true })).toBeAttached({ timeout: 500 });
  }).toPass({ timeout: 7_000 });
  await expect(log.getByRole('heading', { name: /^Saturday,? 1 March 2025$/ })).toHaveCount(1);
  const lines = await outline(page);
  expect(lines.slice(0, 3)).toEqual([expect.stringMatching(/^# Saturday/), 'saturday line 1', 'saturday line 2']);
});

test('tapping a time shows the full date and time', async ({ browser }) => {
  const page = await openInParis(browser, { hasTouch: true });
  const time = page.getByRole('log').locator('.entry', { hasText: 'a minute after midnight' }).getByRole('time');
  await expect(time).toHaveText('00:01');
  await time.tap();
  const tip = page.locator('#time-tip');
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(/Tuesday,? 4 March 2025/);
  await expect(tip).toHaveText(/00:01:00/);
  const tipBox = await tip.boundingBox();
  const timeBox = await time.boundingBox();
  if (tipBox === null || timeBox === null) throw new Error('tip or time not laid out');
  expect(Math.abs(tipBox.y + tipBox.height - timeBox.y), 'the tip sits just above the time it is about').toBeLessThan(20);

  // Another tap elsewhere closes it; tapping another time shows that one.
  await page.getByRole('heading', { name: 'Switchboard' }).tap();
  await expect(tip).toBeHidden();
  await page.getByRole('log').locator('.entry', { hasText: 'a minute before midnight' }).getByRole('time').tap();
  await expect(tip).toHaveText(/Monday,? 3 March 2025.*23:59:00/);
});
