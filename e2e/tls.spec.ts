import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Browser, type Page, chromium, expect, test } from '@playwright/test';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';
import { type TestPki, createTestPki } from '../server/test-support/test-certificates.js';
import { FramedClient, seedDecode } from '../server/test-support/test-clients.js';

/**
 * The page over https, in Chromium, chatting with a framed client over TLS: the server runs with a
 * certificate from a CA made for this run, and Chromium trusts exactly that certificate's key
 * (`--ignore-certificate-errors-spki-list`) rather than ignoring certificate errors altogether.
 */

let pki: TestPki;
let server: ServerProcess;
let spkiHash: string;
let browser: Browser | undefined;
const clients: FramedClient[] = [];

test.beforeAll(async () => {
  pki = createTestPki();
  const issued = pki.issue('server');
  const publicKey = new X509Certificate(readFileSync(issued.certFile)).publicKey.export({ type: 'spki', format: 'der' });
  spkiHash = createHash('sha256').update(publicKey).digest('base64');
  server = await startServerProcess(undefined, ['--tls-cert', issued.certFile, '--tls-key', issued.keyFile, '--tls-tcp-port', '0', '--tls-line-port', '0', '--https-port', '0']);
});

test.afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await browser?.close();
  await server.stop();
  pki.remove();
});

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message');
  await box.fill(text);
  await box.press('Enter');
}

test('the page over https (WebSocket over wss) and a framed client over TLS chat both ways', async () => {
  const tlsPorts = server.tlsPorts;
  expect(tlsPorts, 'the server lists its TLS ports').not.toBeNull();
  const { https, tcp } = tlsPorts!;
  const launchOptions = test.info().project.use.launchOptions ?? {};
  browser = await chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), `--ignore-certificate-errors-spki-list=${spkiHash}`] });
  const page = await browser.newPage();

  const socketOpened = page.waitForEvent('websocket');
  const response = await page.goto(`https://localhost:${https}/`);
  expect(response?.status()).toBe(200);
  expect((await socketOpened).url()).toBe(`wss://localhost:${https}/ws`);
  await expect(page.getByRole('status')).toContainText(/connected/i);

  const field = page.getByLabel('Nickname');
  await field.fill('https-page');
  await field.press('Enter');
  await expect(page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: 'https-page' })).toBeVisible();

  const secure = await FramedClient.connectTls(tcp, readFileSync(pki.caFile));
  clients.push(secure);
  secure.send('/nick tls-ada');
  await expect(page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: 'tls-ada' })).toBeVisible();

  secure.send('hello page, over TLS');
  await expect(page.getByRole('log')).toContainText('hello page, over TLS');

  await say(page, 'hello framed client, over wss');
  expect(seedDecode(await secure.waitFor('over wss'))).toBe('https-page hello framed client, over wss');
});
