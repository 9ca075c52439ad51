import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, type WebSocket, expect, test } from '@playwright/test';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';
import { until } from '../server/test-support/until.js';
import { servePageFromDisk } from './support/page-from-disk.js';

let server: ServerProcess;
const sockets: net.Socket[] = [];
const dataDirs: string[] = [];

test.afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server.stop();
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const log = (page: Page) => page.getByRole('log');

/** When each of the page's WebSocket attempts started and, if it did, closed (Date.now()). */
interface Attempt {
  opened: number;
  closed: number | null;
}

function recordAttempts(page: Page): Attempt[] {
  const attempts: Attempt[] = [];
  page.on('websocket', function pageOnWebSocket(socket: WebSocket) {
    const attempt: Attempt = { opened: Date.now(), closed: null };
    attempts.push(attempt);
    socket.on('close', function socketOnClose() {
      attempt.closed = Date.now();
    });
  });
  return attempts;
}

/**
 * A line member that never reads nor closes its side: the server's graceful close of it cannot
 * finish, so the shutdown drains for the close grace (about 2 s) while the page may reconnect.
 */
async function connectStubborn(port: number): Promise<void> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  sockets.push(socket);
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  await once(socket, 'connect');
  await until(() => received.includes('welcome to'), 'welcome for the stubborn member');
  socket.pause();
}

test('a shutdown shows one notice, the page waits before knocking again, and it is back when the server is', async ({ page }) => {
  // One history across the restart, so the page resumes and keeps its log (a new history would start it over).
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-shutdown-'));
  dataDirs.push(dataDir);
  server = await startServerProcess(undefined, ['--shutdown-timeout', '30', '--data-dir', dataDir]);
  const ports = server.ports;
  const attempts = recordAttempts(page);
  await page.goto(server.url);
  await expect(page.getByRole('status')).toHaveText(/^connected$/);
  await connectStubborn(ports.line);

  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  await expect(log(page).getByText('server shutting down')).toBeVisible();
  await exited;
  await until(() => attempts[0]?.closed !== null, 'the first socket closed');

  // Shown once, as the server's notice: no refused reconnects in red, no "×2".
  await expect(log(page).getByText('server shutting down')).toHaveCount(1);
  await expect(log(page).locator('.entry--error')).toHaveCount(0);
  await expect(log(page).locator('.entry__repeat')).toHaveCount(0);

  // The next attempt waited seconds, not the quarter second of a dropped connection.
  await until(() => attempts.length >= 2, 'a reconnect attempt', 10_000);
  const [first, second] = attempts;
  const waited = (second?.opened ?? 0) - (first?.closed ?? 0);
  expect(waited, 'ms between the shutdown close and the next attempt').toBeGreaterThanOrEqual(1900);

  server = await startServerProcess(ports, ['--data-dir', dataDir]);
  await expect(page.getByRole('status')).toHaveText(/^connected$/, { timeout: 20_000 });
  await expect(log(page).getByText('server shutting down')).toHaveCount(1);
  await expect(log(page).getByText(/welcome to switchboard/)).toHaveCount(2);
});

test('a reconnect refused again and again is one line with a count, and the page gets in once there is room', async ({ browser }) => {
  server = await startServerProcess(undefined, ['--max-connections-per-ip', '1']);
  // The one slot is for WebSockets: both pages' files come from disk (support/page-from-disk.ts).
  const firstContext = await browser.newContext();
  await servePageFromDisk(firstContext);
  const first = await firstContext.newPage();
  await first.goto(server.url);
  await expect(first.getByRole('status')).toHaveText(/^connected$/);

  const secondContext = await browser.newContext();
  await servePageFromDisk(secondContext);
  const second = await secondContext.newPage();
  await second.goto(server.url);
  const refusal = log(second).getByText(/too many connections/);
  await expect(refusal).toHaveCount(1);
  await expect(log(second).locator('.entry__repeat')).toContainText('×2', { timeout: 15_000 });
  await expect(refusal).toHaveCount(1);
  // A refusal is not a lost connection: nothing else is said about it.
  await expect(log(second).getByText(/Connection lost/)).toHaveCount(0);

  await first.close();
  await expect(second.getByRole('status')).toHaveText(/^connected$/, { timeout: 20_000 });
  await expect(log(second).getByText(/welcome to switchboard/)).toHaveCount(1);
});
