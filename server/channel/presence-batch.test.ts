import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NoticeEvent, ServerEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';
import { MEMBER_LIST_MAX } from '../../shared/limits.js';
import { PRESENCE_MEMBERS_MAX, PRESENCE_NAMES_MAX } from './presence-batch.js';
import { until } from '../test-support/until.js';

const STORM = 60;

function presenceNotices(events: readonly ServerEvent[], kind: 'join' | 'leave'): NoticeEvent[] {
  return events.filter((event): event is NoticeEvent => event.type === 'notice' && event.kind === kind);
}

/** Members a join or leave notice is about, one or a batch. */
function countOf(notice: NoticeEvent): number {
  return notice.member !== undefined ? 1 : (notice.count ?? 0);
}

function total(notices: readonly NoticeEvent[]): number {
  return notices.reduce((sum, notice) => sum + countOf(notice), 0);
}


describe('presence batching (default 100 ms window)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it(`announces ${STORM} joins at once in a few notices, each saying how many and naming at most ${PRESENCE_MEMBERS_MAX}`, async () => {
    const page = await WsTestClient.connect(server.ports.http);
    const framed = await FramedClient.connect(server.ports.tcp);
    await page.waitForText('joined');
    const storm = await Promise.all(Array.from({ length: STORM }, () => LineClient.connect(server.ports.line)));

    await until(() => total(presenceNotices(page.events, 'join')) === STORM + 1, `the page was told of ${STORM + 1} joins`, 5000);
    const joins = presenceNotices(page.events, 'join');
    assert.ok(joins.length < 10, `${STORM} joins at once took ${joins.length} notices`);
    const batch = joins.find((notice) => (notice.count ?? 0) > PRESENCE_NAMES_MAX);
    assert.ok(batch !== undefined, `no batch of more than ${PRESENCE_NAMES_MAX}: ${joins.map(countOf).join(', ')}`);
    assert.equal(batch.members?.length, Math.min(batch.count ?? 0, PRESENCE_MEMBERS_MAX));
    assert.match(batch.text, new RegExp(`^${batch.count} members joined: .+ \\(line\\), .+ and ${(batch.count ?? 0) - PRESENCE_NAMES_MAX} more$`));
    const framedJoins = framed.received.filter((payload) => payload.includes(' joined'));
    assert.ok(framedJoins.length < 10, `the framed client got ${framedJoins.length} join notices`);

    await Promise.all(storm.map((client) => client.close()));
    await until(() => total(presenceNotices(page.events, 'leave')) === STORM, `the page was told of ${STORM} leaves`, 5000);
    assert.ok(presenceNotices(page.events, 'leave').length < 10);
    await Promise.all([page.close(), framed.close()]);
  });

  it('never lets a member be heard before its join is announced (a chat line flushes the window)', async () => {
    const listener = await FramedClient.connect(server.ports.tcp);
    const warmUp = await LineClient.connect(server.ports.line);
    await listener.waitFor('joined');
    // The window opened by warmUp's join is still running: the next join waits for it, unless
    // the newcomer speaks first.
    const speaker = await LineClient.connect(server.ports.line);
    speaker.send('first words');
    await listener.waitFor('first words');
    const name = `127.0.0.1:${speaker.socket.localPort}`;
    const lines = listener.received.map(seedDecode);
    const joinedAt = lines.findIndex((line) => line.includes(`${name} joined`));
    const spokeAt = lines.findIndex((line) => line.endsWith('first words'));
    assert.ok(joinedAt >= 0 && joinedAt < spokeAt, `join at ${joinedAt}, message at ${spokeAt}: ${JSON.stringify(lines)}`);
    await Promise.all([listener.close(), warmUp.close(), speaker.close()]);
  });
});

describe('presence batching off (--presence-delay 0)', () => {
  it('announces every join on its own', async () => {
    const server = await startTestServer({ presenceDelay: 0 });
    try {
      const page = await WsTestClient.connect(server.ports.http);
      const clients = await Promise.all(Array.from({ length: 5 }, () => FramedClient.connect(server.ports.tcp)));
      await until(() => presenceNotices(page.events, 'join').length === 5, 'five join notices', 5000);
      assert.ok(presenceNotices(page.events, 'join').every((notice) => notice.member !== undefined && notice.count === undefined));
      await Promise.all([page.close(), ...clients.map((client) => client.close())]);
    } finally {
      await server.close();
    }
  });
});

describe(`member lists in a room of more than ${MEMBER_LIST_MAX}`, () => {
  it('the joined event, a who reply and /who name the first ones and say how many in all', async () => {
    const server = await startTestServer();
    const crowd: LineClient[] = [];
    try {
      for (let i = 0; i < MEMBER_LIST_MAX + 10; i += 1) crowd.push(await LineClient.connect(server.ports.line));
      const page = await WsTestClient.connect(server.ports.http);
      const joined = page.events.find((event) => event.type === 'joined');
      assert.ok(joined?.type === 'joined');
      assert.equal(joined.members.length, MEMBER_LIST_MAX);
      assert.equal(joined.count, MEMBER_LIST_MAX + 11);
      page.send({ type: 'who' });
      const who = await page.waitFor((event) => event.type === 'members');
      assert.ok(who.type === 'members' && who.members.length === MEMBER_LIST_MAX && who.count === MEMBER_LIST_MAX + 11);
      crowd[0]!.send('/who');
      const reply = await crowd[0]!.waitFor('members of #lobby (');
      assert.match(reply, new RegExp(`members of #lobby \\(${MEMBER_LIST_MAX + 11}\\): .+ and 11 more$`));
      await page.close();
    } finally {
      await Promise.all(crowd.map((client) => client.close()));
      await server.close();
    }
  });
});
