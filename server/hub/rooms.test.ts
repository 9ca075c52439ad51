import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HistoryEvent, MessageEvent, ServerEvent } from '../../shared/events.js';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';

/** Rooms and direct messages over real sockets, on every transport. */

const isMessage = (text: string) => (event: ServerEvent) => event.type === 'message' && event.text === text;

describe('rooms and direct messages (real sockets)', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('keeps two rooms apart on all three transports; the other room reaches a text client with its name in front', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const line = await LineClient.connect(server.ports.line);
    const page = await WsTestClient.connect(server.ports.http);
    framed.send('/nick fred');
    line.send('/nick lina');
    page.say('/nick pam');
    await framed.waitFor('known as pam');
    line.send('/join #ops');
    assert.match(await line.waitFor('you joined #ops'), /\*\*\* you joined #ops \(0 other members here\); plain lines now go to #ops$/);
    page.send({ type: 'join', room: '#ops' });
    const joined = await page.waitFor((event) => event.type === 'joined' && event.room === '#ops');
    assert.ok(joined.type === 'joined' && joined.members.some((member) => member.name === 'lina'));
    await line.waitFor('pam joined (ws)');

    line.send('deploy done');
    const inOps = (await page.waitFor(isMessage('deploy done'))) as MessageEvent;
    assert.equal(inOps.room, '#ops');
    page.send({ type: 'send', room: '#ops', text: 'thanks' });
    assert.equal(seedDecode(await line.waitFor('thanks')), 'pam thanks', 'in its current room: no prefix');
    page.send({ type: 'send', room: '#lobby', text: 'hello lobby' });
    assert.equal(seedDecode(await framed.waitFor('hello lobby')), 'pam hello lobby');
    assert.equal(seedDecode(await line.waitFor('hello lobby')), '[#lobby] pam: hello lobby', 'another room: its name in front');

    framed.send('sync');
    await line.waitFor('sync');
    assert.ok(!framed.received.some((payload) => payload.includes('deploy done') || payload.includes('thanks')), 'a lobby-only member saw #ops');
    assert.ok(!framed.received.some((payload) => payload.includes('joined (line)') && payload.includes('#ops')), 'a join notice of #ops reached the lobby');
    await Promise.all([framed.close(), line.close(), page.close()]);
  });

  it('announces joins and parts only to that room, with a reason; /part moves plain lines to the room left', async () => {
    const watcher = await LineClient.connect(server.ports.line);
    const outsider = await FramedClient.connect(server.ports.tcp);
    const mover = await LineClient.connect(server.ports.line);
    watcher.send('/nick watcher');
    outsider.send('/nick outsider');
    mover.send('/nick mover');
    await watcher.waitFor('known as mover');
    watcher.send('/join #quiet');
    await watcher.waitFor('you joined #quiet');
    mover.send('/join #quiet');
    await mover.waitFor('you joined #quiet');
    assert.equal(seedDecode(await watcher.waitFor('mover joined')), '*** mover joined (line)');
    mover.send('/part #quiet lunch');
    assert.match(await mover.waitFor('you left #quiet'), /you left #quiet; plain lines now go to #lobby$/);
    assert.equal(seedDecode(await watcher.waitFor('mover left')), '*** mover left (lunch)');
    mover.send('back in the lobby');
    assert.equal(seedDecode(await outsider.waitFor('back in the lobby')), 'mover back in the lobby');
    assert.equal(seedDecode(await watcher.waitFor('back in the lobby')), '[#lobby] mover: back in the lobby');
    assert.ok(!outsider.received.some((payload) => payload.includes('#quiet')), 'the lobby heard about #quiet');
    await Promise.all([watcher.close(), outsider.close(), mover.close()]);
  });

  it('a direct message from a line client reaches a page only, and back; an unknown nick is an error to the sender', async () => {
    const line = await LineClient.connect(server.ports.line);
    const page = await WsTestClient.connect(server.ports.http);
    const bystander = await FramedClient.connect(server.ports.tcp);
    line.send('/nick dora');
    page.say('/nick pete');
    await line.waitFor('known as pete');
    line.send('/msg pete psst, just you');
    const dm = (await page.waitFor(isMessage('psst, just you'))) as MessageEvent;
    assert.equal(dm.room, undefined);
    assert.equal(dm.from, 'dora');
    assert.equal(dm.to?.name, 'pete');
    assert.equal(dm.id, 0, 'direct messages are not stored');
    page.send({ type: 'msg', to: 'DORA', text: 'got it' });
    assert.equal(seedDecode(await line.waitFor('got it')), '*pete* got it');
    const echo = (await page.waitFor((event) => event.type === 'message' && event.self === true && event.text === 'got it')) as MessageEvent;
    assert.equal(echo.to?.name, 'dora');
    line.send('/msg nobody hello?');
    assert.equal(seedDecode(await line.waitFor('nobody')), '*** no member is called nobody');
    bystander.send('sync');
    await line.waitFor('sync');
    assert.ok(!bystander.received.some((payload) => payload.includes('psst') || payload.includes('got it')), 'a direct message leaked');
    const history = (await (await fetch(`http://127.0.0.1:${server.ports.http}/history`)).json()) as { messages: MessageEvent[] };
    assert.ok(!history.messages.some((message) => message.text.includes('psst')), 'a direct message was stored');
    await Promise.all([line.close(), page.close(), bystander.close()]);
  });

  it('/rooms lists rooms with member counts and topics; /topic sets one for the room; /who names a room', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await LineClient.connect(server.ports.line);
    a.send('/nick topper');
    await a.waitFor('known as topper');
    a.send('/join #Deploys');
    await a.waitFor('you joined #Deploys');
    a.send('/topic friday freeze');
    assert.equal(seedDecode(await a.waitFor('set the topic')), '*** topper set the topic of #Deploys: friday freeze');
    b.send('/join #DEPLOYS');
    assert.match(await b.waitFor('you joined #Deploys'), /you joined #Deploys \(1 other member here\); topic: friday freeze; plain lines now go to #Deploys$/);
    b.send('/rooms');
    assert.match(await b.waitFor('rooms ('), /rooms \(\d+\): .*#Deploys \(2: friday freeze\)/);
    b.send('/who #lobby');
    assert.match(await b.waitFor('members of #lobby'), /members of #lobby \(\d+\): .*topper \(tcp\)/);
    b.send('/who');
    assert.match(await b.waitFor('members of #Deploys'), /members of #Deploys \(2\): topper \(tcp\), 127\.0\.0\.1:\d+ \(line\)$/);
    b.send('/topic #nowhere hi');
    assert.match(await b.waitFor('not in #nowhere'), /you are not in #nowhere: \/join #nowhere first$/);
    b.send('/join #no spaces allowed');
    b.send('/join #bad!name');
    assert.match(await b.waitFor('not a room name'), /#bad!name is not a room name: a room name has only letters, digits, -, _ and \.$/);
    await Promise.all([a.close(), b.close()]);
  });

  it('#room text is not special: it is said as typed', async () => {
    const a = await LineClient.connect(server.ports.line);
    const b = await FramedClient.connect(server.ports.tcp);
    a.send('#ops is where deploys go');
    assert.match(seedDecode(await b.waitFor('where deploys go')), /^127\.0\.0\.1:\d+ #ops is where deploys go$/);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('room limits', () => {
  it('refuses a member past --max-rooms-per-member and a server past --max-rooms, with the reason', async () => {
    const server = await startTestServer({ maxRoomsPerMember: 2, maxRooms: 3 });
    try {
      const a = await LineClient.connect(server.ports.line);
      a.send('/join #one');
      await a.waitFor('you joined #one');
      a.send('/join #two');
      assert.match(await a.waitFor('rooms, the limit'), /you are in 2 rooms, the limit: \/part one first$/);
      const b = await LineClient.connect(server.ports.line);
      b.send('/join #two');
      await b.waitFor('you joined #two');
      b.send('/join #three');
      assert.match(await b.waitFor('its limit'), /the server holds 3 rooms, its limit; join one of them \(\/rooms\)$/);
      assert.equal(server.stats.errors.get('SB_ERR_TOO_MANY_ROOMS'), 2);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await server.close();
    }
  });
});

describe('history per room across a restart', () => {
  it('each room replays and resumes its own messages after a restart on the same data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-rooms-'));
    try {
      const first = await startTestServer({ dataDir });
      const speaker = await LineClient.connect(first.ports.line);
      const page = await WsTestClient.connect(first.ports.http);
      page.send({ type: 'join', room: '#ops' });
      await page.waitFor((event) => event.type === 'joined' && event.room === '#ops');
      speaker.send('lobby one');
      speaker.send('/join #ops');
      await speaker.waitFor('you joined #ops');
      speaker.send('ops one');
      speaker.send('ops two');
      const lastOps = (await page.waitFor(isMessage('ops two'))) as MessageEvent;
      const epochOf = (room: string) => (page.events.find((event) => event.type === 'history' && event.room === room) as HistoryEvent).epoch;
      const epoch = epochOf('#ops');
      await Promise.all([speaker.close(), page.close()]);
      await first.close();

      const second = await startTestServer({ dataDir });
      const line = await LineClient.connect(second.ports.line);
      line.send('/join #ops');
      await line.waitFor('you joined #ops');
      await line.waitFor('ops two');
      const lines = line.received.map(seedDecode);
      assert.ok(!lines.some((text) => text.endsWith('lobby one') && lines.indexOf(text) > lines.findIndex((t) => t.includes('you joined #ops'))), 'lobby history replayed into #ops');
      const back = await WsTestClient.connect(second.ports.http);
      back.send({ type: 'join', room: '#ops', after: lastOps.id - 1, epoch });
      const resumed = (await back.waitFor((event) => event.type === 'history' && event.room === '#ops')) as HistoryEvent;
      assert.equal(resumed.mode, 'resume');
      assert.deepEqual(resumed.messages.map((message) => message.text), ['ops two']);
      const lobby = back.events.find((event) => event.type === 'history' && event.room === '#lobby') as HistoryEvent;
      assert.deepEqual(lobby.messages.map((message) => message.text), ['lobby one']);
      const page2 = (await (await fetch(`http://127.0.0.1:${second.ports.http}/history?room=%23ops`)).json()) as { room: string; messages: MessageEvent[] };
      assert.equal(page2.room, '#ops');
      assert.deepEqual(page2.messages.map((message) => message.text), ['ops one', 'ops two']);
      await Promise.all([line.close(), back.close()]);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
