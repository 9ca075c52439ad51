import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Browser, type Page, chromium, expect, test } from '@playwright/test';
import { freePort, type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';
import { type TestPki, createTestPki } from '../server/test-support/test-certificates.js';
import { IrssiSession } from '../server/test-support/irssi-session.js';
import { until } from '../server/test-support/until.js';

/**
 * Issue 15's "done when", as a person does it: `switchboard serve --tls-cert … --tls-key …
 * --password s3cret`; the page over https (Chromium, asked for the password), `openssl s_client`
 * on the line port over TLS, and irssi over TLS (Debian's, in tmux) join one room; the page's
 * member made the room, so it is its operator: it kicks the openssl member and bans the irssi one,
 * and each of the three sees both.
 */

const SECRET = 's3cret';
let pki: TestPki;
let server: ServerProcess;
let spkiHash: string;
let browser: Browser | undefined;
let openssl: ChildProcessWithoutNullStreams | undefined;
let irssi: IrssiSession | undefined;

/** What `openssl s_client -quiet` printed so far (the server's lines). */
let opensslOut = '';

async function opensslShows(pattern: RegExp): Promise<void> {
  await until(() => pattern.test(opensslOut), `openssl s_client shows ${String(pattern)}`, 10_000).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; it printed:\n${opensslOut}`);
  });
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message');
  await box.fill(text);
  await box.press('Enter');
}

test.beforeAll(async () => {
  pki = createTestPki();
  const issued = pki.issue('server');
  const publicKey = new X509Certificate(readFileSync(issued.certFile)).publicKey.export({ type: 'spki', format: 'der' });
  spkiHash = createHash('sha256').update(publicKey).digest('base64');
  const ircTls = await freePort();
  server = await startServerProcess(undefined, [
    '--tls-cert', issued.certFile, '--tls-key', issued.keyFile, '--password', SECRET,
    '--tls-tcp-port', '0', '--tls-line-port', '0', '--https-port', '0', '--tls-irc-port', String(ircTls), '--rate-limit', '0',
  ]);
});

test.afterAll(async () => {
  openssl?.kill();
  irssi?.close();
  await browser?.close();
  await server.stop();
  pki.remove();
});

test('with TLS and a password, an operator on the page kicks and bans; the page, openssl s_client and irssi all see it', async () => {
  test.setTimeout(90_000);
  const ports = server.tlsPorts;
  expect(ports, 'the server lists its TLS ports').not.toBeNull();
  const { https, line, irc } = ports!;
  const messages = (page: Page) => page.getByRole('log');

  // The page over https: asked for the password, then named, then it makes #trust (its operator).
  const launchOptions = test.info().project.use.launchOptions ?? {};
  browser = await chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), `--ignore-certificate-errors-spki-list=${spkiHash}`] });
  const page = await browser.newPage();
  await page.goto(`https://localhost:${https}/`);
  const password = page.getByLabel('Server password');
  await password.fill(SECRET);
  await password.press('Enter');
  await expect(password).toBeHidden();
  const nickname = page.getByLabel('Nickname');
  await nickname.fill('webop');
  await nickname.press('Enter');
  await expect(messages(page)).toContainText('known as webop');
  await say(page, '/join #trust');
  await expect(messages(page)).toContainText(/you joined #trust/i);

  // openssl s_client on the line port over TLS, checking the certificate against the test CA.
  openssl = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${line}`, '-quiet', '-CAfile', pki.caFile, '-verify_return_error'], { stdio: 'pipe' });
  openssl.stdout.setEncoding('utf8');
  openssl.stdout.on('data', function collectOpenssl(chunk: string) {
    opensslOut += chunk;
  });
  await opensslShows(/needs a password/);
  openssl.stdin.write(`/pass ${SECRET}\n/nick ossl\n/join #trust\n`);
  await opensslShows(/you joined #trust/);

  // irssi over TLS, verifying the server against the same CA, giving the server password.
  const terminal = IrssiSession.start('trust-irssi', ['-n', 'irssiuser']);
  irssi = terminal;
  await terminal.shows(/Irssi/);
  // The certificate names localhost (irssi does not match IP addresses in it); -4: the server listens on 127.0.0.1.
  terminal.type(`/connect -4 -tls -tls_verify -tls_cafile ${pki.caFile} localhost ${irc} ${SECRET} irssiuser`);
  await terminal.shows(/Welcome to the Switchboard IRC network irssiuser/, 15_000);
  terminal.type('/join #trust');
  await expect(messages(page)).toContainText(/irssiuser joined/i);
  await opensslShows(/irssiuser joined/);

  // A kick: everyone sees who kicked whom and why.
  await say(page, '/kick ossl behave');
  await opensslShows(/ossl was kicked from #trust by webop \(behave\)/);
  await expect(messages(page)).toContainText(/ossl was kicked from #trust by webop \(behave\)/i);
  await terminal.shows(/ossl was kicked from #trust by webop \[behave\]/, 15_000);

  // openssl's member comes back; then a ban removes the irssi member, seen by all three.
  openssl.stdin.write('/join #trust\n');
  await expect(messages(page)).toContainText(/ossl joined/i);
  await say(page, '/ban irssiuser');
  await terminal.shows(/mode\/#trust \[\+b irssiuser!\*@\*\] by webop/, 15_000);
  await terminal.shows(/irssiuser was kicked from #trust by webop \[banned\]/, 15_000);
  await opensslShows(/irssiuser was kicked from #trust by webop \(banned\)/);
  await expect(messages(page)).toContainText(/irssiuser was kicked from #trust by webop \(banned\)/i);
  // And it cannot come back: irssi shows the ban numeric.
  terminal.type('/join #trust');
  await terminal.shows(/Cannot join to channel #trust \(You are banned\)/, 15_000);
});
