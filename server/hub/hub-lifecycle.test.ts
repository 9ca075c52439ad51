import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminList } from '../auth/admin-source.js';
import { ServerPassword } from '../auth/server-password.js';
import { MEMORY_DATA_DIR, SqliteHistory } from '../history/sqlite-history.js';
import { LinkRecorder, Recorder, hubWith, say } from '../test-support/hub-harness.js';

/**
 * The hub's lifecycle as a model (no sockets, a set clock): how members are numbered, admitted,
 * announced to the cluster, dropped (leave, disconnect, the idle sweep) and how the whole hub
 * shuts down. What each member's connection is handed is pinned, not only the hub's counts.
 */

describe('Hub lifecycle (model, no sockets)', () => {
  it('numbers members from memberIdBase + 1, one by one, and finds each by id', () => {
    const { hub } = hubWith({ memberIdBase: 100 });
    const a = hub.connect(new Recorder('a:1'));
    const b = hub.connect(new Recorder('b:2'));
    assert.deepEqual([a.id, b.id], [101, 102]);
    assert.equal(hub.session(102), b);
    assert.equal(hub.session(103), undefined);
    const plain = hubWith().hub;
    assert.equal(plain.connect(new Recorder('c:3')).id, 1);
  });

  it('gives message ids after the store\'s last one, one by one', () => {
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'all' } });
    const first = hubWith({ history: store }).hub;
    assert.equal(first.nextMessageId(), 1);
    assert.equal(first.nextMessageId(), 2);
    const posted = first.postAsBot('#ci', 'builder', 'green');
    assert.equal(posted.outcome, 'stored');
    const again = hubWith({ history: store }).hub;
    assert.equal(again.nextMessageId(), store.lastId + 1);
    assert.ok(store.lastId > 0);
    store.close();
  });

  it('keeps what it was given: the operators, whether a password is asked, the link', () => {
    const admins = new AdminList([['root', 'hunter2']]);
    const { hub } = hubWith({ admins });
    assert.equal(hub.admins, admins);
    assert.equal(hub.passwordRequired, false);
    assert.equal(hubWith({ password: new ServerPassword('pw') }).hub.passwordRequired, true);
    assert.equal(hub.link, null);
    const link = new LinkRecorder();
    hub.attachLink(link);
    assert.equal(hub.link, link);
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    say(hub, a, '/oper root hunter2');
    assert.equal(a.serverOperator, true, ann.texts().join('\n'));
  });

  it('announces to the cluster a member that connects and one that leaves, but never one that did not give the password', () => {
    const { hub } = hubWith({ password: new ServerPassword('pw') });
    const link = new LinkRecorder();
    hub.attachLink(link);
    const stranger = hub.connect(new Recorder('s:1'));
    const guest = hub.connect(new Recorder('g:2'));
    hub.execute(guest, { type: 'pass', secret: 'pw' });
    assert.deepEqual(link.events, ['connected 2 g:2 null']);
    hub.leave(stranger, 'SB_ERR_IDLE_TIMEOUT');
    hub.leave(guest, 'quit');
    hub.leave(guest, 'again');
    assert.deepEqual(link.events, ['connected 2 g:2 null', 'disconnected 2 g:2 null quit']);
  });

  it('logs in (IRC SASL) through the accounts: without any, the outcome says so', async () => {
    const { hub } = hubWith();
    const session = hub.connect(new Recorder('i:1', 'irc', true), { enterDefaultRoom: false });
    const outcome = await hub.login(session, 'ann', 'hunter2hunter2');
    assert.match(JSON.stringify(outcome), /SB_ERR_NO_ACCOUNTS/);
  });

  it('admitting a member again (its admission already used) is harmless: it stays where it is, announced once more', () => {
    const { hub } = hubWith();
    const link = new LinkRecorder();
    hub.attachLink(link);
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    const heard = ann.messages.length;
    hub.admit(a);
    assert.equal(a.admission, null);
    assert.equal(hub.rooms.defaultRoom.count, 1);
    assert.deepEqual([...a.rooms.keys()], ['#lobby']);
    assert.equal(link.events.length, 2);
    assert.ok(ann.messages.length >= heard);
  });

  it('prompts a text client of a password-protected server with an info notice carrying the code', () => {
    const { hub } = hubWith({ password: new ServerPassword('pw') });
    const line = new Recorder('l:1');
    hub.connect(line);
    assert.equal(line.messages.length, 1);
    assert.equal(line.messages[0]?.notice, 'info');
    assert.equal(line.messages[0]?.code, 'SB_ERR_PASSWORD_REQUIRED');
    const page = new Recorder('p:2', 'ws', true);
    hub.connect(page);
    assert.equal(page.welcomed?.passwordRequired, true);
    assert.deepEqual(page.messages, []);
  });

  it('lets an unauthenticated member /quit as a quit, not as a missing password', () => {
    const { hub } = hubWith({ password: new ServerPassword('pw') });
    const line = new Recorder('l:1');
    const session = hub.connect(line);
    hub.execute(session, { type: 'quit', reason: 'bye' });
    assert.equal(line.closed, 'quit');
  });

  it('keeps a member banned from the default room out of it on connecting', () => {
    const { hub } = hubWith({ admins: new AdminList([['root', 'hunter2']]) });
    const rootConnection = new Recorder('r:1');
    const root = hub.connect(rootConnection);
    say(hub, root, '/oper root hunter2');
    say(hub, root, '/ban #lobby *!line@*');
    assert.match(rootConnection.last(), /banned \*!line@\*/);
    const late = new Recorder('l:2');
    const session = hub.connect(late);
    assert.equal(session.rooms.size, 0);
    assert.equal(hub.rooms.defaultRoom.count, 1);
    assert.ok(late.texts().some((text) => text.includes('you are banned from #lobby')), late.texts().join('\n'));
  });

  it('leaves once: a second leave announces nothing, and input after leaving is ignored', () => {
    const { hub } = hubWith();
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    hub.connect(bob);
    hub.leave(a, 'quit');
    hub.leave(a, 'again');
    assert.equal(a.present, false);
    say(hub, a, 'still here?');
    assert.deepEqual(bob.texts().filter((text) => text.includes('a:1')), ['[#lobby] *** a:1 left (quit)']);
    assert.equal(hub.size, 1);
  });

  it('disconnects once, with an error notice naming the reason as the farewell', () => {
    const { hub } = hubWith();
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    hub.connect(bob);
    hub.disconnect(a, 'SB_ERR_SLOW_CONSUMER', 'bad frame');
    hub.disconnect(a, 'SB_ERR_SLOW_CONSUMER', 'bad frame');
    assert.equal(ann.closes, 1);
    assert.equal(ann.closed, 'SB_ERR_SLOW_CONSUMER');
    assert.equal(ann.farewell?.notice, 'error');
    assert.equal(ann.farewell?.code, 'SB_ERR_SLOW_CONSUMER');
    assert.equal(ann.farewell?.text, 'error: bad frame; closing connection');
    assert.equal(hub.stats.errors.get('SB_ERR_SLOW_CONSUMER'), 1);
    assert.equal(bob.last(), '[#lobby] *** a:1 left (SB_ERR_SLOW_CONSUMER)');
  });

  it('closeAll closes every connection with one info notice, announces no leave, and turns the hub to closing', () => {
    const { hub } = hubWith();
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    say(hub, a, 'hello');
    assert.notEqual(a.flow, null);
    assert.equal(b.flow, null, 'bob never typed: no flow to close');
    const heard = bob.messages.length;
    assert.equal(hub.closing, false);
    hub.closeAll('the server is restarting');
    assert.equal(hub.closing, true);
    for (const connection of [ann, bob]) {
      assert.equal(connection.closed, 'SB_ERR_SHUTTING_DOWN');
      assert.equal(connection.farewell?.notice, 'info');
      assert.equal(connection.farewell?.code, 'SB_ERR_SHUTTING_DOWN');
      assert.equal(connection.farewell?.text, 'the server is restarting');
    }
    assert.equal(bob.messages.length, heard, 'no leave announced');
    assert.equal(a.present, false);
    assert.equal(b.present, false);
    assert.equal(hub.size, 0);
    say(hub, b, 'late');
    assert.equal(b.flow, null, 'input after the close is ignored');
    assert.equal(hub.postAsBot('#lobby', 'ci', 'hi').outcome, 'refused');
  });

  it('the idle sweep closes a member silent for the whole timeout, and not a moment sooner', () => {
    const { hub, clock } = hubWith({ limits: { idleTimeoutMs: 10_000 } });
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    const c = hub.connect(cat);
    const start = clock.now;
    // Everyone is active on connecting: the first sweep only notes when it saw them so.
    clock.now = start + 20_000;
    hub.sweepIdle();
    assert.deepEqual([ann.closed, bob.closed, cat.closed], [null, null, null]);
    assert.deepEqual([a.active, a.lastActive], [false, start + 20_000]);
    clock.now = start + 25_000;
    hub.touch(b);
    say(hub, c, 'hi');
    hub.sweepIdle();
    clock.now = start + 29_999;
    hub.sweepIdle();
    assert.equal(ann.closed, null, 'closed before the timeout');
    hub.sweepIdle(start + 30_000);
    assert.equal(ann.closed, 'SB_ERR_IDLE_TIMEOUT');
    assert.equal(ann.farewell?.text, 'error: idle for 10 s; closing connection');
    assert.equal(ann.farewell?.code, 'SB_ERR_IDLE_TIMEOUT');
    assert.deepEqual([bob.closed, cat.closed], [null, null], 'active since the last sweep');
    assert.equal(b.lastActive, start + 25_000);
    hub.sweepIdle(start + 34_999);
    assert.deepEqual([bob.closed, cat.closed], [null, null]);
    hub.sweepIdle(start + 35_000);
    assert.deepEqual([bob.closed, cat.closed], ['SB_ERR_IDLE_TIMEOUT', 'SB_ERR_IDLE_TIMEOUT']);
  });

  it('without an idle timeout the sweep closes no one, however long silent', () => {
    const { hub, clock } = hubWith();
    const ann = new Recorder('a:1');
    hub.connect(ann);
    hub.sweepIdle();
    clock.now += 1e12;
    hub.sweepIdle();
    assert.equal(ann.closed, null);
  });

  it('the sweep closes, past the wait, a member that never gave the password, even without an idle timeout', () => {
    const { hub, clock } = hubWith({ password: new ServerPassword('pw') });
    const line = new Recorder('l:1');
    hub.connect(line);
    clock.now += 60_000;
    hub.sweepIdle();
    assert.equal(line.closed, 'SB_ERR_PASSWORD_REQUIRED');
  });
});
