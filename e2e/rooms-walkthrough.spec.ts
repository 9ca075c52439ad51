import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { LineClient } from '../server/test-support/test-clients.js';
import { BIN, type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';
import { until } from '../server/test-support/until.js';

let dataDir: string;
let server: ServerProcess;
let cli: ChildProcessWithoutNullStreams | null = null;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-walkthrough-'));
  server = await startServerProcess(undefined, ['--data-dir', dataDir]);
});

test.afterEach(async () => {
  cli?.kill();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `switchboard connect` as a person runs it, its output collected. */
function startCli(port: number, nick: string): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'connect', `127.0.0.1:${port}`, '--nick', nick], { env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output };
}

const log = (page: Page) => page.getByRole('log');
const rooms = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
const shown = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const link = (page: Page, name: string) => rooms(page).getByRole('link', { name: new RegExp(`^${name}(?: \\(\\d+ unread\\))?$`) });

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message');
  await box.fill(text);
  await box.press('Enter');
  await expect(log(page).getByText(text, { exact: true })).toBeVisible();
}

test('the issue\'s walkthrough: #ops from the page, joined by nc and switchboard connect, chat, DMs, reload, restart', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(server.url);
  await page.getByLabel('Nickname').fill('ada');
  await page.getByLabel('Nickname').press('Enter');
  await page.getByLabel('Join a room').fill('#ops');
  await page.getByLabel('Join a room').press('Enter');
  await expect(shown(page, '#ops')).toBeVisible();

  const nc = await LineClient.connect(server.ports.line);
  nc.send('/nick grace');
  nc.send('/join #ops');
  await nc.waitFor('you joined #ops');
  const terminal = startCli(server.ports.tcp, 'linus');
  cli = terminal.child;
  await until(() => terminal.output().includes('known as linus'), 'switchboard connect is named linus', 10_000);
  cli.stdin.write('/join #ops\n');
  await until(() => terminal.output().includes('you joined #ops'), 'switchboard connect joined #ops');
  const members = page.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem')).toHaveCount(3);

  // Chat in #ops, every way round.
  await say(page, 'hello ops, from the page');
  await nc.waitFor('hello ops, from the page');
  await until(() => terminal.output().includes('hello ops, from the page'), 'the terminal shows the page\'s line');
  nc.send('hi from netcat');
  cli.stdin.write('hi from the terminal\n');
  await expect(log(page).getByText('hi from netcat', { exact: true })).toBeVisible();
  await expect(log(page).getByText('hi from the terminal', { exact: true })).toBeVisible();

  // Direct messages: from a click on a member, and from /msg in both terminals.
  await members.getByRole('button', { name: 'grace', exact: true }).click();
  await say(page, 'psst grace');
  await nc.waitFor('psst grace');
  nc.send('/msg ada psst back');
  await expect(log(page).getByText('psst back', { exact: true })).toBeVisible();
  cli.stdin.write('/msg ada from the terminal, privately\n');
  await expect(link(page, 'linus')).toHaveAccessibleName('linus (1 unread)');
  await link(page, 'linus').click();
  await expect(log(page).getByText('from the terminal, privately', { exact: true })).toBeVisible();
  await say(page, 'hi linus');
  await until(() => terminal.output().includes('hi linus'), 'the terminal shows the page\'s direct message');

  // A reload: back in #ops with its history, once; direct messages are not kept (and the page said so).
  await link(page, '#ops').click();
  await page.reload();
  await expect(shown(page, '#ops')).toBeVisible();
  for (const text of ['hello ops, from the page', 'hi from netcat', 'hi from the terminal']) await expect(log(page).getByText(text, { exact: true })).toHaveCount(1);
  await expect(link(page, 'linus')).toHaveCount(0);

  // A server restart: the page comes back to #ops by itself, its history once, and chat goes on.
  const ports = server.ports;
  await server.stop();
  await nc.close();
  server = await startServerProcess(ports, ['--data-dir', dataDir]);
  await expect(page.getByRole('status')).toHaveText('connected', { timeout: 15_000 });
  await expect(shown(page, '#ops')).toBeVisible();
  await expect(members.getByRole('listitem').filter({ hasText: 'ada' })).toBeVisible();
  const back = await LineClient.connect(server.ports.line);
  back.send('/nick grace');
  back.send('/join #ops');
  // The terminal that comes back gets #ops' history too.
  await back.waitFor('hi from the terminal');
  back.send('back after the restart');
  await expect(log(page).getByText('back after the restart', { exact: true })).toBeVisible();
  for (const text of ['hello ops, from the page', 'hi from netcat', 'hi from the terminal']) await expect(log(page).getByText(text, { exact: true })).toHaveCount(1);
  await back.close();
});
