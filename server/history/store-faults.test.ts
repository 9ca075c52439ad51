import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HistoryEvent, HistoryPage, MessageEvent, ServerEvent } from '../../shared/events.js';
import { type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { MARK_FILE, RESERVE_BLOCK } from './id-mark.js';
import { HISTORY_FILE } from './sqlite-history.js';
import { onceWithin } from '../test-support/deadline.js';

const isHistory = (event: ServerEvent): event is HistoryEvent => event.type === 'history';
const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;

/** Says each text from `page` in turn and returns the ids the server gave them (from the echoes). */
async function sayAll(page: WsTestClient, texts: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const text of texts) {
    page.say(text);
    const echo = (await page.waitFor((e) => e.type === 'message' && e.self === true && e.text === text, 5000)) as MessageEvent;
    ids.push(echo.id);
  }
  return ids;
}

/** Every stored message, paging GET /history backwards: id → text. */
/** Messages the WAL tests write before the kill (see killAndDamage). */
const MESSAGES = 200;

async function stored(httpPort: number): Promise<Map<number, string>> {
  const all = new Map<number, string>();
  let before = '';
  for (;;) {
    const page = (await (await fetch(`http://127.0.0.1:${httpPort}/history?limit=500${before}`)).json()) as HistoryPage;
    for (const message of page.messages) all.set(message.id, message.text);
    if (!page.more || page.messages.length === 0) return all;
    before = `&before=${page.messages[0]!.id}`;
  }
}

interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function logEntries(server: ServerProcess): LogEntry[] {
  return server
    .log()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEntry);
}

/** The resume a page gets: its history event, once it arrived. */
async function resume(httpPort: number, after: number, epoch: string): Promise<{ page: WsTestClient; history: HistoryEvent }> {
  const page = await WsTestClient.connect(httpPort, undefined, `?after=${after}&epoch=${epoch}`);
  const history = (await page.waitFor(isHistory)) as HistoryEvent;
  return { page, history };
}

const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

describe('history faults over real processes: ids handed out are never handed out again', () => {
  let dir: string;
  const running: ServerProcess[] = [];
  const pages: WsTestClient[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-faults-'));
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) page.socket.terminate();
    for (const server of running.splice(0)) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(extra: string[] = []): Promise<ServerProcess> {
    const server = await startServerProcess(undefined, ['--data-dir', dir, '--rate-limit', '0', ...extra]);
    running.push(server);
    return server;
  }

  async function page(httpPort: number, query = ''): Promise<WsTestClient> {
    const client = await WsTestClient.connect(httpPort, undefined, query);
    pages.push(client);
    return client;
  }

  it('disk full: chat goes on; after a restart no id is reused, a resume after the last id gets all 80 new messages, and one across the loss is told', async (t) => {
    // 16 pages of 4 KiB hold the schema and a few dozen of these messages; then every write fails.
    const first = await start(['--history-max-pages', '16']);
    const speaker = await page(first.ports.http);
    const { epoch } = (await speaker.waitFor(isHistory)) as HistoryEvent;
    const texts = range(1, 160).map((n) => `before ${n} ${'x'.repeat(1000)}`);
    const sent = await sayAll(speaker, texts);
    assert.deepEqual(sent, range(1, 160), 'chat went on with increasing ids while the disk was full');
    const kept = await stored(first.ports.http);
    const firstLost = kept.size + 1;
    t.diagnostic(`ids ${firstLost}–160 could not be stored`);
    assert.ok(firstLost > 10 && firstLost < 150, `the cap should fill after a few dozen messages, not at ${firstLost}`);
    assert.deepEqual([...kept.keys()].sort((a, b) => a - b), range(1, firstLost - 1));
    assert.ok(logEntries(first).some((e) => e.level === 50 && e.msg === 'could not write messages to history'), first.log());
    await first.stop();

    // The disk has room again.
    const second = await start();
    const warnings = logEntries(second).filter((e) => e.level === 40 && e.msg.startsWith('history is missing'));
    assert.equal(warnings.length, 1, second.log());
    assert.match(warnings[0]!.msg, new RegExp(`^history is missing ids ${firstLost}–160: ${160 - firstLost + 1} messages that members were sent, .*writes to the database had failed`));
    assert.deepEqual([warnings[0]!['lostFirst'], warnings[0]!['lostLast']], [firstLost, 160]);

    const caughtUp = await resume(second.ports.http, 160, epoch);
    assert.deepEqual([caughtUp.history.mode, caughtUp.history.messages.length, caughtUp.history.lost], ['resume', 0, undefined]);
    const talker = await page(second.ports.http);
    const newTexts = range(1, 80).map((n) => `after ${n}`);
    const newIds = await sayAll(talker, newTexts);
    assert.ok(newIds[0]! > 160, `the first id after the restart is ${newIds[0]}, one the members already had`);
    assert.deepEqual(newIds, range(newIds[0]!, newIds[0]! + 79));
    await caughtUp.page.waitForText('after 80');
    assert.deepEqual(
      caughtUp.page.events.filter((e): e is MessageEvent => e.type === 'message').map((e) => e.text),
      newTexts,
      'the page that stayed gets every new message live',
    );

    // The page: it left at 158 and came back after the restart.
    const late = await resume(second.ports.http, 158, epoch);
    pages.push(late.page, caughtUp.page);
    assert.equal(late.history.mode, 'resume');
    assert.deepEqual(late.history.messages.map((m) => m.text), newTexts);
    assert.deepEqual(late.history.lost, [{ first: 159, last: 160 }]);

    const fromBefore = await resume(second.ports.http, firstLost - 3, epoch);
    pages.push(fromBefore.page);
    assert.equal(fromBefore.history.epoch, epoch);
    assert.deepEqual(
      fromBefore.history.messages.map((m) => m.id),
      [firstLost - 2, firstLost - 1, ...newIds],
    );
    assert.deepEqual(fromBefore.history.lost, [{ first: firstLost, last: 160 }]);
  });

  /**
   * MESSAGES messages from a page, kill -9, `damage` the -wal file, restart: what the restart says
   * and serves. Few enough that SQLite's automatic checkpoint (at 1000 WAL pages; each message
   * writes about four) has not moved them into the database yet: the WAL holds them all.
   */
  async function killAndDamage(
    diagnostic: (text: string) => void,
    damage: (wal: string, frameBytes: number, frames: number) => void,
  ): Promise<{ server: ServerProcess; epoch: string; keptNewest: number }> {
    const first = await start();
    const speaker = await page(first.ports.http);
    const { epoch } = (await speaker.waitFor(isHistory)) as HistoryEvent;
    const sent = await sayAll(speaker, range(1, MESSAGES).map((n) => `wal ${n}`));
    assert.deepEqual(sent, range(1, MESSAGES));
    const exited = onceWithin(first.child, 'exit', 10_000);
    first.child.kill('SIGKILL');
    await exited;

    const wal = join(dir, `${HISTORY_FILE}-wal`);
    const header = readFileSync(wal).subarray(0, WAL_HEADER_BYTES);
    const frameBytes = WAL_FRAME_HEADER_BYTES + header.readUInt32BE(8);
    const frames = Math.floor((statSync(wal).size - WAL_HEADER_BYTES) / frameBytes);
    assert.ok(frames > 30, `only ${frames} frames in the WAL: nothing to damage`);
    damage(wal, frameBytes, frames);

    const server = await start();
    const kept = await stored(server.ports.http);
    const keptNewest = Math.max(0, ...kept.keys());
    diagnostic(`${frames} WAL frames; ${keptNewest} of ${MESSAGES} messages kept`);
    assert.ok(frames < 1000, `${frames} WAL frames: SQLite checkpointed, so the damage does not reach the messages`);
    assert.ok(keptNewest < MESSAGES, `the damage should have cost messages; ${keptNewest} is the newest kept`);
    assert.deepEqual([...kept.keys()].sort((a, b) => a - b), range(1, keptNewest));
    return { server, epoch, keptNewest };
  }

  async function assertToldAndNotReused(server: ServerProcess, epoch: string, keptNewest: number): Promise<void> {
    const warnings = logEntries(server).filter((e) => e.level === 40);
    assert.equal(warnings.length, 1, server.log());
    const lostIds = keptNewest + 1 === MESSAGES ? `id ${MESSAGES}` : `ids ${keptNewest + 1}–${MESSAGES}`;
    assert.match(warnings[0]!.msg, new RegExp(`^history is missing ${lostIds}: ${MESSAGES - keptNewest} messages? that members were sent, .*its -wal file was damaged or cut short`));

    const talker = await page(server.ports.http);
    const [id] = await sayAll(talker, ['after the damage']);
    assert.ok(id! > MESSAGES, `id ${id} after the restart was already handed out before the kill`);
    const resumed = await resume(server.ports.http, Math.max(0, keptNewest - 2), epoch);
    pages.push(resumed.page);
    assert.deepEqual([resumed.history.mode, resumed.history.epoch], ['resume', epoch]);
    assert.deepEqual(
      resumed.history.messages.map((m) => m.id),
      [...range(Math.max(1, keptNewest - 1), keptNewest), id],
    );
    assert.deepEqual(resumed.history.lost, [{ first: keptNewest + 1, last: MESSAGES }]);
  }

  it('a bit flipped in the -wal after kill -9: one warning names the lost ids, none is reused, a resume across them is told', async (t) => {
    const { server, epoch, keptNewest } = await killAndDamage(t.diagnostic.bind(t), function flipABit(wal, frameBytes, frames) {
      const bytes = readFileSync(wal);
      const offset = WAL_HEADER_BYTES + Math.floor(frames / 3) * frameBytes + WAL_FRAME_HEADER_BYTES + 100;
      bytes[offset] = bytes[offset]! ^ 0x10;
      writeFileSync(wal, bytes);
    });
    await assertToldAndNotReused(server, epoch, keptNewest);
  });

  it('a -wal cut short after kill -9: the same', async (t) => {
    const { server, epoch, keptNewest } = await killAndDamage(t.diagnostic.bind(t), function cutShort(wal, frameBytes, frames) {
      truncateSync(wal, WAL_HEADER_BYTES + Math.floor(frames / 2) * frameBytes + 1000);
    });
    await assertToldAndNotReused(server, epoch, keptNewest);
  });

  it('the machine restarted without a clean stop (another boot id in the mark): one warning, a new epoch, ids after the reservation; an old resume starts over', async () => {
    const first = await start();
    const speaker = await page(first.ports.http);
    const { epoch } = (await speaker.waitFor(isHistory)) as HistoryEvent;
    await sayAll(speaker, range(1, 20).map((n) => `boot ${n}`));
    const exited = onceWithin(first.child, 'exit', 10_000);
    first.child.kill('SIGKILL');
    await exited;
    // What a power cut leaves: the mark of another boot (and here a complete database).
    const markPath = join(dir, MARK_FILE);
    const mark = JSON.parse(readFileSync(markPath, 'utf8')) as { boot: string; reserved: number };
    writeFileSync(markPath, JSON.stringify({ ...mark, boot: 'a-boot-before-a-power-cut' }));

    const server = await start();
    const warnings = logEntries(server).filter((e) => e.level === 40);
    assert.equal(warnings.length, 1, server.log());
    assert.equal(mark.reserved, 1 + RESERVE_BLOCK, 'reserved with the first id');
    assert.match(warnings[0]!.msg, new RegExp(`^history may be missing up to ${mark.reserved - 20} messages \\(ids 21–${mark.reserved}\\) .*restarted without a clean stop.*new epoch`));
    const talker = await page(server.ports.http);
    const [id] = await sayAll(talker, ['after the power cut']);
    assert.equal(id, mark.reserved + 1);
    const back = await resume(server.ports.http, 20, epoch);
    pages.push(back.page);
    assert.notEqual(back.history.epoch, epoch);
    assert.equal(back.history.mode, 'recent', 'which ids it missed is unknown: the page starts over');
    assert.deepEqual(back.history.messages.map((m) => m.id).slice(-3), [19, 20, id]);
  });

  it('a -wal cut to nothing (the whole history was in it): the epoch is kept from the id mark and every id is reported lost', async (t) => {
    const { server, epoch, keptNewest } = await killAndDamage(t.diagnostic.bind(t), function cutToNothing(wal) {
      truncateSync(wal, 0);
    });
    assert.equal(keptNewest, 0);
    await assertToldAndNotReused(server, epoch, keptNewest);
  });
});
