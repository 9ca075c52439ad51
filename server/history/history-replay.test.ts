import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HistoryEvent, HistoryPage, MessageEvent, ServerEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';

const isHistory = (event: ServerEvent): event is HistoryEvent => event.type === 'history';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the text forms show a time. */
function wireTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

describe('history over real sockets (in-memory store)', () => {
  let server: RunningSwitchboard;
  let speaker: WsTestClient;
  /** What the speaker's own echoes said: id and time of each message, in order. */
  const said: MessageEvent[] = [];

  async function say(text: string): Promise<MessageEvent> {
    speaker.say(text);
    const echo = (await speaker.waitFor((e) => e.type === 'message' && e.self === true && e.text === text.replace(/^\/me /, ''))) as MessageEvent;
    said.push(echo);
    return echo;
  }

  before(async () => {
    server = await startTestServer({ history: 3, rateLimit: 0 });
    speaker = await WsTestClient.connect(server.ports.http);
    speaker.say('/nick keeper');
    await speaker.waitForText('is now known as keeper');
    await say('first');
    await sleep(1100); // so the replayed times differ from "now" to the second
    await say('second');
    await say('/me waves');
    await say('fourth');
  });
  after(async () => {
    await speaker.close();
    await server.close();
  });

  it('gives ids that increase by one, in the events', () => {
    assert.deepEqual(
      said.map((m) => m.id),
      [1, 2, 3, 4],
    );
  });

  it('replays the last --history messages to a framed client, after the welcome, with their original times', async () => {
    const client = await FramedClient.connect(server.ports.tcp);
    await client.waitFor('fourth');
    const welcome = client.received.findIndex((p) => p.includes('welcome to'));
    const replay = client.received.slice(welcome + 1, welcome + 4);
    assert.deepEqual(replay, [
      `${wireTime(said[1]!.time)} keeper second`,
      `${wireTime(said[2]!.time)} * keeper waves`,
      `${wireTime(said[3]!.time)} keeper fourth`,
    ]);
    assert.ok(!client.received.some((p) => p.endsWith(' first')));
    await client.close();
  });

  it('replays them to a line client as lines', async () => {
    const client = await LineClient.connect(server.ports.line);
    await client.waitFor('fourth');
    const welcome = client.received.findIndex((p) => p.includes('welcome to'));
    assert.deepEqual(client.received.slice(welcome + 1, welcome + 4), [
      `${wireTime(said[1]!.time)} keeper second`,
      `${wireTime(said[2]!.time)} * keeper waves`,
      `${wireTime(said[3]!.time)} keeper fourth`,
    ]);
    await client.close();
  });

  it('sends a page one history event right after its welcome, with ids and whether more exist', async () => {
    const page = await WsTestClient.connect(server.ports.http);
    const history = (await page.waitFor(isHistory)) as HistoryEvent;
    assert.equal(history.mode, 'recent');
    assert.equal(history.more, true);
    assert.deepEqual(
      history.messages.map((m) => [m.id, m.kind, m.from, m.text, m.time]),
      said.slice(1).map((m) => [m.id, m.kind, 'keeper', m.text, m.time]),
    );
    assert.deepEqual(page.events.map((e) => e.type).slice(0, 4), ['welcome', 'joined', 'notice', 'history']);
    await page.close();
  });

  it('resumes a page from the last id it saw: what it missed, once, then live traffic', async () => {
    const page = await WsTestClient.connect(server.ports.http);
    const { epoch } = (await page.waitFor(isHistory)) as HistoryEvent;
    const lastSeen = said.at(-1)!.id;
    await page.close();
    await say('missed one');
    await say('missed two');
    const back = await WsTestClient.connect(server.ports.http, undefined, `?after=${lastSeen}&epoch=${epoch}`);
    const resumed = (await back.waitFor(isHistory)) as HistoryEvent;
    assert.equal(resumed.mode, 'resume');
    assert.deepEqual(
      resumed.messages.map((m) => m.text),
      ['missed one', 'missed two'],
    );
    await say('live after resume');
    await back.waitForText('live after resume');
    const texts = back.events.filter((e): e is MessageEvent => e.type === 'message').map((e) => e.text);
    assert.deepEqual(texts, ['live after resume']);
    await back.close();
  });

  it('starts a page with another epoch afresh with the recent messages', async () => {
    const page = await WsTestClient.connect(server.ports.http, undefined, '?after=1&epoch=not-this-one');
    const history = (await page.waitFor(isHistory)) as HistoryEvent;
    assert.equal(history.mode, 'recent');
    assert.equal(history.messages.length, 3);
    await page.close();
  });

  it('pages GET /history by id, and refuses bad parameters with 400', async () => {
    const base = `http://127.0.0.1:${server.ports.http}/history`;
    const newest = (await (await fetch(`${base}?limit=2`)).json()) as HistoryPage;
    assert.deepEqual(
      newest.messages.map((m) => m.id),
      [said.at(-2)!.id, said.at(-1)!.id],
    );
    assert.equal(newest.more, true);
    const older = (await (await fetch(`${base}?before=3&limit=50`)).json()) as HistoryPage;
    assert.deepEqual(
      older.messages.map((m) => [m.id, m.text]),
      [
        [1, 'first'],
        [2, 'second'],
      ],
    );
    assert.equal(older.more, false);
    for (const bad of ['?limit=0', '?limit=501', '?before=x', '?before=-1', '?limit=2.5']) {
      assert.equal((await fetch(`${base}${bad}`)).status, 400, bad);
    }
  });

  it('does not keep notices or command replies', async () => {
    speaker.say('/who');
    await speaker.waitForText('members of #lobby (');
    const page = (await (await fetch(`http://127.0.0.1:${server.ports.http}/history?limit=500`)).json()) as HistoryPage;
    assert.ok(page.messages.every((m) => m.type === 'message' && !m.text.startsWith('members')));
    assert.equal(page.messages.length, said.length);
  });
});
