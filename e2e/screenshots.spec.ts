import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { FramedClient, LineClient } from '../server/test-support/test-clients.js';
import { type ServerProcess, startServerProcess } from '../server/test-support/server-process.js';

const SHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
let server: ServerProcess;

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
    tcp.send('/nick ada');
    nc.send('/nick grace');
    await page.goto(server.url);
    const nick = page.getByLabel('Nickname');
    await nick.fill('linus');
    await nick.press('Enter');
    await expect(page.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(3);
    tcp.send('hello from the seed protocol 👋');
    nc.send('and hi from netcat');
    const box = page.getByLabel('Message');
    await box.fill('browsers too — see https://example.org');
    await box.press('Enter');
    tcp.send('/me pours coffee');
    await expect(page.getByRole('log')).toContainText('ada pours coffee');
    await page.screenshot({ path: `${SHOTS}page-${scheme}.png` });
    await tcp.close();
    await nc.close();
    await context.close();
  });
}
