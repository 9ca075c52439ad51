import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HistoryPage } from '../../shared/events.js';
import { SqliteHistory } from '../history/sqlite-history.js';
import { rawGet } from '../test-support/raw-http.js';
import { type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { FramedClient, LineClient } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { HISTORY_PAGE_MAX_BYTES } from './history-route.js';
import { onceWithin } from '../test-support/deadline.js';

/** The default room's key, which the store files its messages under. */
const LOBBY = '#lobby';

const SMALL = 100;
const LARGE = 200;
/** Just under the default --max-payload: the largest message anyone can store. */
const LARGE_TEXT_BYTES = 64_000;
const MiB = 1024 * 1024;

/** Ids 1–100 are short lines, 101–300 are 64 KB each; written straight into a data dir. */
function fillHistory(dataDir: string): void {
  const store = new SqliteHistory({ dataDir, retention: { kind: 'all' } });
  for (let id = 1; id <= SMALL + LARGE; id += 1) {
    const text = id <= SMALL ? `short ${id}` : `${id} `.padEnd(LARGE_TEXT_BYTES, 'x');
    store.append(LOBBY, { id, time: 1_700_000_000_000 + id, kind: 'chat', from: 'filler', fromId: 1, text });
  }
  store.commit();
  store.close();
}

/** Sends a request and reads only until the first bytes of the answer arrive, then never again. */
async function requestWithoutReading(port: number, path: string): Promise<net.Socket> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.on('error', () => undefined);
  await onceWithin(socket, 'connect');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  const [first] = (await onceWithin(socket, 'data')) as [Buffer];
  socket.pause();
  assert.match(first.toString('latin1'), /^HTTP\/1\.1 200 /);
  return socket;
}

describe('GET /history costs the server little, whatever the client (real server process)', () => {
  let dataDir: string;
  let server: ServerProcess;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-history-route-'));
    fillHistory(dataDir);
    server = await startServerProcess(undefined, ['--data-dir', dataDir, '--history', '0']);
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('16 clients that ask for 500 large messages and never read grow the RSS by under 16 MiB; chat and scroll-back carry on', async () => {
    assert.equal((await rawGet(server.ports.http, '/history?limit=1', { host: 'localhost' })).status, 200);
    const start = server.rssBytes();
    const stalled: net.Socket[] = [];
    for (let i = 0; i < 16; i += 1) stalled.push(await requestWithoutReading(server.ports.http, '/history?limit=500'));
    // Give the server the chance to produce whatever it would buffer for them.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const growth = server.peakRssBytes() - start;
    assert.ok(growth < 16 * MiB, `peak RSS grew by ${(growth / MiB).toFixed(1)} MiB`);

    const speaker = await FramedClient.connect(server.ports.tcp);
    const listener = await LineClient.connect(server.ports.line);
    speaker.send('still here');
    await listener.waitFor('still here');
    const page = await rawGet(server.ports.http, '/history?limit=2', { host: 'localhost' }, '127.0.0.2');
    assert.equal(page.status, 200);
    assert.match((JSON.parse(page.body) as HistoryPage).messages.at(-1)?.text ?? '', /still here/);
    for (const socket of stalled) socket.destroy();
    await Promise.all([speaker.close(), listener.close()]);
  });

  it(`pages stop near ${HISTORY_PAGE_MAX_BYTES / MiB} MiB and say more, so the page's scroll-back still walks every message once, in order`, async () => {
    const seen: number[] = [];
    let beforeId: number | null = null;
    let more = true;
    while (more) {
      const path: string = `/history?${beforeId === null ? '' : `before=${beforeId}&`}limit=50`;
      const response = await rawGet(server.ports.http, path, { host: 'localhost' }, '127.0.0.3');
      assert.equal(response.status, 200, response.body);
      assert.ok(Buffer.byteLength(response.body) <= HISTORY_PAGE_MAX_BYTES + 200, `${path}: ${Buffer.byteLength(response.body)} bytes`);
      const page = JSON.parse(response.body) as HistoryPage;
      assert.ok(page.messages.length > 0, `${path} returned no message although the last page said more`);
      seen.unshift(...page.messages.map((message) => message.id));
      beforeId = page.messages[0]!.id;
      more = page.more;
    }
    // The 400 messages written before the chat test, plus "still here" from it.
    assert.equal(seen.length, SMALL + LARGE + 1);
    assert.deepEqual(seen.slice(0, SMALL + LARGE), Array.from({ length: SMALL + LARGE }, (_, i) => i + 1));
  });

  it('rate-limits each IP with 429 and Retry-After; other IPs are served meanwhile, and the IP again a moment later', async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 25; i += 1) {
      const response = await rawGet(server.ports.http, '/history?limit=1', { host: 'localhost' }, '127.0.0.4');
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers['retry-after'];
    }
    assert.deepEqual(statuses.slice(0, 20), new Array<number>(20).fill(200), 'a burst of 20 is allowed');
    assert.ok(statuses.slice(20).includes(429), `no 429 after the burst: ${statuses.join(' ')}`);
    assert.equal(retryAfter, '1');
    assert.equal((await rawGet(server.ports.http, '/history?limit=1', { host: 'localhost' }, '127.0.0.5')).status, 200);
    await until(async () => (await rawGet(server.ports.http, '/history?limit=1', { host: 'localhost' }, '127.0.0.4')).status === 200, 'the limited IP is served again', 3000);
  });
});
