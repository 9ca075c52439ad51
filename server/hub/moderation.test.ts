import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { IrcTestClient } from '../test-support/irc-client.js';
import { freePort } from '../test-support/server-process.js';
import { FramedClient, LineClient, startTestServer } from '../test-support/test-clients.js';
import { WsTestClient } from '../test-support/ws-client.js';

/** A framed client named `nick`, in `room` (joined after the rename, so a new room is its). */
async function member(port: number, nick: string, room?: string): Promise<FramedClient> {
  const client = await FramedClient.connect(port);
  client.send(`/nick ${nick}`);
  await client.waitFor(`known as ${nick}`);
  if (room !== undefined) {
    client.send(`/join ${room}`);
    await client.waitFor(`${room}`);
  }
  return client;
}

describe('room operators and moderation', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ admins: ['root=hunter2'], ircPort: await freePort() });
  });
  after(async () => {
    await server.close();
  });

  it('makes the creator of a room its operator; an operator can /op; others are refused with a code', async () => {
    const ann = await member(server.ports.tcp, 'ann', '#made');
    const ben = await member(server.ports.tcp, 'ben', '#made');
    const cat = await member(server.ports.tcp, 'cat', '#made');
    ben.send('/op ben');
    assert.match(await ben.waitFor('not an operator'), /you are not an operator of #made/);
    ann.send('/op ben');
    assert.match(await cat.waitFor('made ben an operator'), /ann made ben an operator of #made/);
    ben.send('/who');
    assert.match(await ben.waitFor('members of #made'), /#made/);
    ben.send('/lock topic');
    await cat.waitFor('locked #made');
    cat.send('/topic nope');
    assert.match(await cat.waitFor('topic is locked'), /not an operator of #made/);
    ben.send('/topic set by an op');
    await cat.waitFor('set by an op');
    await Promise.all([ann.close(), ben.close(), cat.close()]);
  });

  it('a kick is seen on framed, line, WebSocket and IRC; the kicked member is out of the room', async () => {
    const op = await member(server.ports.tcp, 'kicker', '#kicks');
    const line = await LineClient.connect(server.ports.line);
    line.send('/nick liner');
    line.send('/join #kicks');
    await line.waitFor('#kicks');
    const page = await WsTestClient.connect(server.ports.http);
    page.send({ type: 'join', room: '#kicks' });
    await page.waitFor((event) => event.type === 'joined' && event.room === '#kicks');
    const irc = await IrcTestClient.register(server.ports.irc, 'ircer');
    irc.send('JOIN #kicks');
    await irc.waitFor(/366 ircer #kicks/);
    await op.waitFor('ircer');
    op.send('/kick liner spamming');
    assert.match(await line.waitFor('kicked'), /liner was kicked from #kicks by kicker \(spamming\)/);
    await op.waitFor('liner was kicked');
    await page.waitFor((event) => event.type === 'notice' && event.kind === 'leave' && event.text.includes('liner was kicked') && event.by?.name === 'kicker');
    assert.match(await irc.waitFor(' KICK '), /^:kicker!tcp@\S+ KICK #kicks liner :spamming$/);
    assert.match(await line.waitFor('you left'), /you left #kicks; plain lines now go to #lobby/);
    // A kicked page closes the room: a parted event.
    page.send({ type: 'nick', name: 'pager' });
    await op.waitFor('known as pager');
    op.send('/kick pager');
    await page.waitFor((event) => event.type === 'parted' && event.room === '#kicks');
    op.send('/kick ircer');
    assert.match(await irc.waitFor(' KICK #kicks ircer'), /KICK #kicks ircer :no reason given$/);
    irc.socket.end();
    await Promise.all([op.close(), line.close(), page.close(), irc.closed]);
  });

  it('a nick ban and a mask ban stop a rejoin with a clear error; /unban lifts it', async () => {
    const op = await member(server.ports.tcp, 'warden', '#banned');
    const dan = await member(server.ports.tcp, 'dan', '#banned');
    op.send('/ban dan 10m');
    assert.match(await dan.waitFor('kicked'), /dan was kicked from #banned by warden \(banned\)/);
    dan.send('/join #banned');
    assert.match(await dan.waitFor('banned from'), /you are banned from #banned \(dan!\*@\*, until/);
    const line = await LineClient.connect(server.ports.line);
    line.send('/nick eve');
    op.send('/ban *!line@*');
    await op.waitFor('banned *!line@*');
    line.send('/join #banned');
    assert.match(await line.waitFor('banned from'), /\*!line@\*/);
    op.send('/ban');
    assert.match(await op.waitFor('bans of #banned'), /dan!\*@\* \(by warden, until .*\*!line@\*/);
    // A server operator bans an address mask from the default room: a new connection stays out of it.
    const root = await member(server.ports.tcp, 'rootish');
    root.send('/oper root hunter2');
    await root.waitFor('server operator');
    root.send('/ban #lobby *!line@*');
    await root.waitFor('banned *!line@*');
    const late = await LineClient.open(server.ports.line);
    assert.match(await late.waitFor('banned from'), /you are banned from #lobby/);
    late.send('hello?');
    await late.waitFor('you are in no room');
    root.send('/unban #lobby *!line@*');
    await root.waitFor('lifted');
    op.send('/unban dan');
    await op.waitFor('lifted the ban of dan!*@*');
    dan.send('/join #banned');
    await op.waitFor('dan joined');
    await Promise.all([op.close(), dan.close(), line.close(), root.close(), late.close()]);
  });

  it('a muted member cannot speak in the room until unmuted; /lock talk leaves only operators', async () => {
    const op = await member(server.ports.tcp, 'mod', '#quiet');
    const fay = await member(server.ports.tcp, 'fay', '#quiet');
    op.send('/mute fay');
    await fay.waitFor('muted fay');
    fay.send('hello?');
    assert.match(await fay.waitFor('cannot speak'), /you cannot speak in #quiet: an operator muted you/);
    op.send('/unmute fay');
    await fay.waitFor('unmuted fay');
    fay.send('free again');
    await op.waitFor('free again');
    op.send('/lock talk');
    await fay.waitFor('locked #quiet');
    fay.send('and now?');
    assert.match(await fay.waitFor('cannot speak'), /only its operators speak/);
    op.send('ops may');
    await fay.waitFor('ops may');
    await Promise.all([op.close(), fay.close()]);
  });

  it('/oper with an --admin makes a server operator who moderates any room and can /kill; a wrong secret is refused', async () => {
    const root = await member(server.ports.tcp, 'root');
    const gus = await member(server.ports.tcp, 'gus', '#gus');
    root.send('/kill gus');
    assert.match(await root.waitFor('server operators'), /\/kill is for server operators/);
    root.send('/oper root wrong');
    assert.match(await root.waitFor('no server operator'), /no server operator has that name and secret/);
    root.send('/oper root hunter2');
    await root.waitFor('you are now a server operator');
    // Any room, without joining it.
    root.send('/lock #gus topic');
    await gus.waitFor('root locked #gus');
    await root.waitFor('root locked #gus');
    root.send('/join #gus');
    await root.waitFor('#gus');
    root.send('/op root');
    await gus.waitFor('root made root an operator');
    root.send('/kill gus enough');
    assert.match(await gus.waitFor('killed'), /killed by root: enough; closing connection/);
    await gus.closed;
    await root.close();
  });
});

describe('IRC modes, KICK and numerics', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer({ admins: ['boss=s3cret'], ircPort: await freePort() });
  });
  after(async () => {
    await server.close();
  });

  it('shows @ in NAMES and WHO, answers MODE, echoes changes, refuses with 482, 474, 404, 481, 491 and 381', async () => {
    const op = await IrcTestClient.register(server.ports.irc, 'chief');
    op.send('JOIN #irc');
    assert.match(await op.waitFor(/ 353 /), /353 chief = #irc :@chief$/);
    const joe = await IrcTestClient.register(server.ports.irc, 'joe');
    joe.send('JOIN #irc');
    assert.match(await joe.waitFor(/ 353 /), /:@chief joe$/);
    joe.send('WHO #irc');
    assert.match(await joe.waitFor(/ 352 .* chief /), / H@ /);
    joe.send('MODE #irc +o joe');
    assert.match(await joe.waitFor(/ 482 /), /482 joe #irc :you are not an operator of #irc/);
    op.send('MODE #irc +t');
    assert.match(await joe.waitFor(' MODE '), /^:chief!irc@\S+ MODE #irc \+t$/);
    op.send('MODE #irc');
    assert.match(await op.waitFor(/ 324 /), /324 chief #irc :?\+nt$/);
    joe.send('TOPIC #irc :mine');
    await joe.waitFor(/ 482 joe #irc/);
    op.send('MODE #irc +q joe');
    await joe.waitFor('MODE #irc +q joe');
    joe.send('PRIVMSG #irc :hi');
    assert.match(await joe.waitFor(/ 404 /), /404 joe #irc :you cannot speak/);
    op.send('MODE #irc -q joe');
    await joe.waitFor('MODE #irc -q joe');
    op.send('MODE #irc +b joe');
    assert.match(await joe.waitFor(' KICK '), /KICK #irc joe :banned$/);
    joe.send('JOIN #irc');
    assert.match(await joe.waitFor(/ 474 /), /474 joe #irc :you are banned from #irc/);
    op.send('MODE #irc b');
    assert.match(await op.waitFor(/ 367 /), /367 chief #irc joe!\*@\* :?chief/);
    await op.waitFor(/ 368 /);
    joe.send('KILL chief :bye');
    assert.match(await joe.waitFor(/ 481 /), /481 joe :\/kill is for server operators/);
    joe.send('OPER boss nope');
    await joe.waitFor(/ 491 /);
    joe.send('OPER boss s3cret');
    await joe.waitFor(/ 381 /);
    joe.send('JOIN #irc');
    await op.waitFor(/:joe!irc@\S+ JOIN #irc/);
    joe.send('KICK #irc chief :coup');
    assert.match(await op.waitFor(' KICK '), /^:joe!irc@\S+ KICK #irc chief :coup$/);
    op.socket.end();
    joe.socket.end();
    await Promise.all([op.closed, joe.closed]);
  });
});

describe('moderation across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-moderation-'));
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps operators, bans and locks in the data dir', async () => {
    const first = await startTestServer({ dataDir });
    const op = await member(first.ports.tcp, 'keeper', '#kept');
    op.send('/ban troll');
    await op.waitFor('banned troll');
    op.send('/lock topic');
    await op.waitFor('locked #kept');
    await op.close();
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      const troll = await member(second.ports.tcp, 'troll');
      troll.send('/join #kept');
      assert.match(await troll.waitFor('banned from'), /you are banned from #kept/);
      const other = await member(second.ports.tcp, 'other', '#kept');
      other.send('/topic mine');
      await other.waitFor('topic is locked');
      const keeper = await member(second.ports.tcp, 'keeper', '#kept');
      keeper.send('/topic still mine');
      await other.waitFor('still mine');
      // `other` joined a room that existed: it is no operator.
      other.send('/op other');
      await other.waitFor('not an operator');
      await Promise.all([troll.close(), other.close(), keeper.close()]);
    } finally {
      await second.close();
    }
  });
});
