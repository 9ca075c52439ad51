import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAccounts } from '../auth/accounts.js';
import type { Channel } from '../channel/channel.js';
import { MEMORY_DATA_DIR, SqliteHistory } from '../history/sqlite-history.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { Recorder, hubWith, say } from '../test-support/hub-harness.js';

/**
 * What the hub hands members (model, no sockets): the write path's counts, notices to one
 * member, renames and refused nicknames, bot posts, and the listeners told of every line.
 */

describe('Hub delivery (model, no sockets)', () => {
  it('counts each delivery once per recipient\'s transport: notices apart from chat', () => {
    const { hub } = hubWith();
    const [line, page] = [new Recorder('l:1'), new Recorder('p:2', 'ws', true)];
    const l = hub.connect(line);
    const p = hub.connect(page);
    const notices = { ...hub.stats.noticesOut };
    hub.deliver(l, hub.notice('info', 'hello'));
    assert.deepEqual(hub.stats.noticesOut, { ...notices, line: notices.line + 1 });
    assert.equal(hub.stats.messagesOut.line, 0);
    say(hub, p, 'chat line');
    assert.equal(hub.stats.messagesOut.line, 1);
    assert.equal(hub.stats.messagesOut.ws, 0, 'no echo to the sender');
    assert.equal(hub.stats.noticesOut.line, notices.line + 1);
  });

  it('a notice to one member: info and uncounted by default, an error with its code counted, about a room when given', () => {
    const { hub } = hubWith();
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    hub.noticeTo(a, 'just so you know');
    const info = ann.messages.at(-1);
    assert.deepEqual([info?.kind, info?.notice, info?.code, info?.room, info?.text, info?.time], ['notice', 'info', undefined, null, 'just so you know', 1_000_000]);
    assert.equal(hub.stats.errors.size, 0);
    hub.noticeTo(a, 'no', 'error', 'SB_ERR_USAGE', hub.rooms.defaultRoom);
    const error = ann.messages.at(-1);
    assert.deepEqual([error?.notice, error?.code, error?.room?.name], ['error', 'SB_ERR_USAGE', '#lobby']);
    assert.equal(hub.stats.errors.get('SB_ERR_USAGE'), 1);
  });

  it('a rename reaches the member itself even in no room, as a nick notice with who it was', () => {
    const { hub } = hubWith();
    const irc = new Recorder('i:1', 'irc', true);
    const i = hub.connect(irc, { enterDefaultRoom: false });
    say(hub, i, '/nick ike');
    const rename = irc.messages.at(-1);
    assert.deepEqual([rename?.kind, rename?.notice, rename?.text, rename?.previous, rename?.member?.name], ['notice', 'nick', 'i:1 is now known as ike', 'i:1', 'ike']);
  });

  it('a refused nickname is an error with its code; asking for one\'s own name is only info', () => {
    const { hub } = hubWith();
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    say(hub, a, '/nick #bad');
    const refused = ann.messages.at(-1);
    assert.deepEqual([refused?.notice, refused?.code], ['error', 'SB_ERR_NICK_INVALID']);
    assert.equal(hub.stats.errors.get('SB_ERR_NICK_INVALID'), 1);
    say(hub, a, '/nick ann');
    say(hub, a, '/nick ann');
    const same = ann.messages.at(-1);
    assert.deepEqual([same?.notice, same?.code, same?.text], ['info', undefined, 'you are already ann']);
    assert.equal(hub.stats.errors.size, 1);
  });

  it('with accounts, the server\'s own name is refused as registered', () => {
    const store = new SqliteHistory({ dataDir: MEMORY_DATA_DIR, retention: { kind: 'all' } });
    const { hub } = hubWith({ history: store, accounts: openAccounts(store) });
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    say(hub, a, '/nick NickServ');
    assert.equal(a.nick, null);
    assert.equal(ann.messages.at(-1)?.code, 'SB_ERR_NICK_REGISTERED');
    store.close();
  });

  it('a bot\'s line reaches the room\'s members as a chat line', () => {
    const { hub } = hubWith();
    const ann = new Recorder('a:1');
    hub.connect(ann);
    const outcome = hub.postAsBot('#lobby', 'ci', 'build green');
    assert.equal(outcome.outcome, 'stored');
    assert.equal(ann.messages.at(-1)?.kind, 'chat');
    assert.equal(ann.messages.at(-1)?.text, 'build green');
  });

  it('tells every listener of each line said, past one that throws, until it stops listening', () => {
    const { hub, logs } = hubWith();
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    hub.connect(bob);
    const heard: string[] = [];
    hub.onSaid(() => {
      throw new Error('webhook down');
    });
    const stop = hub.onSaid((channel: Channel, message: OutgoingMessage, local: boolean) => void heard.push(`${channel.name} ${message.text} ${local}`));
    say(hub, a, 'one');
    assert.deepEqual(heard, ['#lobby one true']);
    assert.equal(bob.last(), '[#lobby] a:1: one', 'the chat goes on');
    const failure = logs.find((line) => line.msg === 'a message listener failed');
    assert.equal(failure?.room, '#lobby');
    assert.equal(failure?.level, 50);
    assert.match(JSON.stringify(failure?.err), /webhook down/);
    stop();
    say(hub, a, 'two');
    assert.deepEqual(heard, ['#lobby one true']);
    assert.equal(bob.last(), '[#lobby] a:1: two');
  });
});
