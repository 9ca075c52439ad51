import { randomBytes } from 'node:crypto';
import { type Page, expect, test } from '@playwright/test';
import { Redis } from 'ioredis';
import { findRedis, type RedisForTests, skipUnlessRedis } from '../server/test-support/redis.js';
import { FramedClient, seedDecode } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

/**
 * Two real `switchboard serve` processes sharing one room through Redis, seen from a real browser:
 * a TCP client on instance A and a page on instance B chat both ways, the page lists A's member,
 * and when A is stopped (SIGTERM) the page sees that member leave while B keeps working.
 */

// Above the expect timeout: a leave seen in time comes from A's graceful shutdown, not from expiry.
const PRESENCE_TTL_SECONDS = 10;

let redis: RedisForTests | undefined;
let prefix: string;
let serverA: ServerProcess | undefined;
let serverB: ServerProcess | undefined;
const clients: FramedClient[] = [];

test.beforeAll(async () => {
  const found = await findRedis();
  // Throws under CI=true: there a missing Redis is a failure, not a skip.
  const { skip } = skipUnlessRedis(found);
  if (skip !== undefined) process.stderr.write(`scale-out e2e skipped: ${skip}\n`);
  test.skip(skip !== undefined, skip);
  redis = found as RedisForTests;
  prefix = `switchboard-e2e:${randomBytes(6).toString('hex')}:`;
  const args = ['--redis', redis.url, '--redis-prefix', prefix, '--redis-presence-ttl', String(PRESENCE_TTL_SECONDS), '--log-level', 'warn'];
  serverA = await startServerProcess(undefined, args);
  serverB = await startServerProcess(undefined, args);
});

test.afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await serverA?.stop();
  await serverB?.stop();
  if (redis !== undefined) {
    // Leave nothing of this run in a shared Redis.
    const cleaner = new Redis(redis.url);
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
    cleaner.disconnect();
    await redis.stop();
  }
});

const log = (page: Page) => page.getByRole('log');
const member = (page: Page, nick: string) => page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: nick });

/** Opens the page on `server`, sets a nickname and waits until the server confirmed it in the member list. */
async function openAs(page: Page, server: ServerProcess, nick: string): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByRole('status')).toContainText(/connected/i);
  const field = page.getByLabel('Nickname');
  await field.fill(nick);
  await field.press('Enter');
  await expect(member(page, nick)).toBeVisible();
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message');
  await box.fill(text);
  await box.press('Enter');
}

async function connectTcp(server: ServerProcess): Promise<FramedClient> {
  const client = await FramedClient.connect(server.ports.tcp);
  clients.push(client);
  return client;
}

test('a TCP client on instance A and a page on instance B share one room through Redis', async ({ page }) => {
  const a = serverA!;
  const b = serverB!;

  await test.step('the page on B lists the TCP client of A by its nickname', async () => {
    const ada = await connectTcp(a);
    ada.send('/nick ada');
    await ada.waitFor('known as ada');
    await openAs(page, b, 'web-bob');
    await expect(member(page, 'ada')).toBeVisible();
    // And A knows the page's member: the join came through Redis.
    await ada.waitFor('web-bob');
  });

  await test.step('they chat both ways across the instances', async () => {
    const ada = clients[0]!;
    ada.send('hello from A 👋 over redis');
    await expect(log(page).getByText('hello from A 👋 over redis')).toHaveCount(1);
    await expect(log(page).getByText('ada').last()).toBeVisible();

    await say(page, 'hello from B ✓');
    expect(seedDecode(await ada.waitFor('hello from B'))).toBe('web-bob hello from B ✓');
    // The page's own line, published to Redis and read back, is shown once.
    await expect(log(page).getByText('hello from B ✓')).toHaveCount(1);
  });

  await test.step('stopping A (SIGTERM) takes ada out of the list on B, and B keeps working', async () => {
    await a.stop();
    await expect(member(page, 'ada')).toHaveCount(0);
    await expect(member(page, 'web-bob')).toBeVisible();
    await expect(page.getByRole('status')).toHaveText(/connected/i);

    const carol = await connectTcp(b);
    carol.send('/nick carol');
    await carol.waitFor('known as carol');
    await expect(member(page, 'carol')).toBeVisible();
    carol.send('still here on B');
    await expect(log(page).getByText('still here on B')).toHaveCount(1);
    await say(page, 'and B still answers');
    expect(seedDecode(await carol.waitFor('and B still answers'))).toBe('web-bob and B still answers');
  });
});
