import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { SqliteHistory } from '../server/history/sqlite-history.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

/** The default room's key, which the store files its messages under. */
const LOBBY = '#lobby';

const MESSAGES = 150;
/** 50 of these (the page's scroll-back page) pass the server's 1 MiB page cap, so pages come back cut short. */
const TEXT_BYTES = 25_000;

let dataDir: string;
let server: ServerProcess;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-scroll-back-'));
  const store = new SqliteHistory({ dataDir, retention: { kind: 'all' } });
  for (let id = 1; id <= MESSAGES; id += 1) {
    store.append(LOBBY, { id, time: Date.now() - (MESSAGES - id) * 1000, kind: 'chat', from: 'archivist', fromId: 1, text: `#${id}# `.padEnd(TEXT_BYTES, '·') });
  }
  store.commit();
  store.close();
  server = await startServerProcess(undefined, ['--data-dir', dataDir]);
});

test.afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const log = (page: Page) => page.getByRole('log');

/** The `#id#` markers shown in the log, top to bottom. */
async function shownIds(page: Page): Promise<number[]> {
  const text = await log(page).innerText();
  return [...text.matchAll(/#(\d+)#/g)].map((match) => Number(match[1]));
}

test('scrolling up loads every older message once, in order, through pages the server cut short', async ({ page }) => {
  await page.goto(server.url);
  await expect(log(page).getByText(`#${MESSAGES}#`)).toHaveCount(1);
  await expect(log(page).getByText('#1#')).toHaveCount(0);
  await expect(async () => {
    await log(page).evaluate((element) => {
      element.scrollTop = 0;
    });
    await expect(log(page).getByText('#1#')).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  expect(await shownIds(page)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
});
