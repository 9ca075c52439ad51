import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { codeOf, join, model, Recorder, RecordingLink, run, say } from '../test-support/hub-model.js';
import { Hub } from './hub.js';
import type { Intent } from './intents.js';
import { HELP_TEXT } from './slash-commands.js';

/**
 * What each intent does, seen from the members (hub/intent-runner.ts): the notices, their texts
 * and error codes, the typed replies a port that has them gets instead, and who hears what.
 * Socket-free (test-support/hub-model.ts): recording connections, an injected clock, presence
 * announced at once, and a recording cluster link for the paths through other instances.
 */

describe('IntentRunner: what each intent does (model, no sockets)', () => {
  it('help, pass after authentication, usage and unknown commands: one notice to the asker, with its code', () => {
    const { hub } = model();
    const ann = new Recorder('a:1');
    const bob = new Recorder('b:2');
    const a = hub.connect(ann);
    hub.connect(bob);
    bob.clear();
    ann.clear();
    run(hub, a, { type: 'help' });
    assert.deepEqual(ann.texts(), [`*** ${HELP_TEXT}`]);
    assert.equal(codeOf(ann.lastMessage()), 'info/-');
    run(hub, a, { type: 'pass', secret: 'x' });
    assert.equal(ann.last(), '*** you are already in: the server password is asked once, first');
    assert.equal(codeOf(ann.lastMessage()), 'info/-');
    run(hub, a, { type: 'usage', text: 'usage: /join #ROOM' });
    assert.equal(ann.last(), '*** usage: /join #ROOM');
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_USAGE');
    run(hub, a, { type: 'unknown', command: 'frob' });
    assert.equal(ann.last(), `*** unknown command /frob; ${HELP_TEXT}`);
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_UNKNOWN_COMMAND');
    assert.equal(hub.stats.errors.get('SB_ERR_USAGE'), 1);
    assert.equal(hub.stats.errors.get('SB_ERR_UNKNOWN_COMMAND'), 1);
    assert.equal(ann.messages.length, 4);
    assert.deepEqual(bob.messages, [], 'replies go to the asker only');
  });

  it('a member that has left is not served: its intents do nothing', () => {
    const { hub } = model();
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    hub.leave(a);
    ann.clear();
    run(hub, a, { type: 'help' }, join('#x'), { type: 'rooms' });
    assert.deepEqual(ann.messages, []);
    assert.equal(hub.rooms.find('#x'), undefined);
  });

  it('moderation and account intents reach their runners', async () => {
    const { hub } = model();
    const ann = new Recorder('a:1');
    const bob = new Recorder('b:2');
    const a = hub.connect(ann);
    hub.connect(bob);
    const refusals: [Intent, string][] = [
      [{ type: 'op', room: null, nick: 'b:2', give: true }, 'you are not an operator of #lobby'],
      [{ type: 'kick', room: null, nick: 'b:2', reason: '' }, 'you are not an operator of #lobby'],
      [{ type: 'ban', room: null, target: 'b:2', durationMs: null }, 'you are not an operator of #lobby'],
      [{ type: 'unban', room: null, target: 'b:2' }, 'you are not an operator of #lobby'],
      [{ type: 'mute', room: null, nick: 'b:2', give: true }, 'you are not an operator of #lobby'],
      [{ type: 'lock', room: null, what: 'topic', on: true }, 'you are not an operator of #lobby'],
      [{ type: 'oper', name: 'root', secret: 'x' }, 'this server has no operators (--admin)'],
      [{ type: 'kill', nick: 'b:2', reason: '' }, '/kill is for server operators (/oper NAME SECRET)'],
    ];
    for (const [intent, text] of refusals) {
      ann.clear();
      run(hub, a, intent);
      assert.equal(ann.messages.length, 1, intent.type);
      assert.ok(ann.messages[0]!.text.startsWith(text), `${intent.type}: ${ann.messages[0]!.text}`);
      assert.equal(ann.messages[0]!.notice, 'error', intent.type);
    }
    for (const type of ['register', 'login'] as const) {
      ann.clear();
      run(hub, a, { type, name: 'ann', password: 'secret-secret' });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(ann.messages.length, 1, type);
      assert.equal(ann.messages[0]!.notice, 'error', type);
      assert.match(ann.messages[0]!.text, /account/, type);
    }
  });

  it('say: to the room’s other members with the next id, the sender acknowledged; in no room or a room not joined, an error', () => {
    const { hub, clock } = model();
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    hub.connect(cat);
    run(hub, a, join('#x'));
    run(hub, b, join('#x'));
    for (const r of [ann, bob, cat]) r.clear();
    clock.now = 2_000_000;
    run(hub, a, say('hello'), { type: 'say', room: '#lobby', kind: 'action', text: 'waves' });
    assert.deepEqual(bob.texts(), ['[#x] a:1: hello', '[#lobby] a:1: waves']);
    assert.deepEqual(bob.messages.map((m) => [m.kind, m.id, m.time]), [['chat', 1, 2_000_000], ['action', 2, 2_000_000]]);
    assert.deepEqual(cat.texts(), ['[#lobby] a:1: waves']);
    assert.deepEqual(ann.messages, []);
    assert.deepEqual(ann.acks.map((m) => m.text), ['hello', 'waves']);
    run(hub, a, say('here?', '#nowhere'));
    assert.equal(ann.last(), '*** you are not in #nowhere: /join #nowhere first');
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_NOT_IN_ROOM');
    const c = hub.connect(new Recorder('d:4'), { enterDefaultRoom: false });
    const dan = c.connection as Recorder;
    run(hub, c, say('anyone?'), say('in x?', '#x'));
    assert.deepEqual(dan.texts(), ['*** you are in no room: /join #ROOM to talk', '*** you are not in #x: /join #x first']);
    assert.deepEqual(dan.messages.map(codeOf), ['error/SB_ERR_NOT_IN_ROOM', 'error/SB_ERR_NOT_IN_ROOM']);
    assert.equal(hub.stats.errors.get('SB_ERR_NOT_IN_ROOM'), 3);
    assert.equal(bob.messages.length, 2, 'refused lines reach nobody');
  });

  it('say with a link: a published line is left to the link; one the link cannot take is delivered here with id 0', () => {
    const { hub, clock } = model();
    const link = new RecordingLink();
    hub.attachLink(link);
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    hub.connect(bob);
    bob.clear();
    clock.now = 3_000_000;
    run(hub, a, say('shared'));
    assert.deepEqual(link.published.map((d) => [d.room.name, d.kind, d.text, d.time, d.from.name]), [['#lobby', 'chat', 'shared', 3_000_000, 'a:1']]);
    assert.equal(bob.messages.length, 0, 'the link hands it back');
    link.publishes = false;
    run(hub, a, say('alone'));
    assert.deepEqual(bob.messages.map((m) => [m.text, m.id]), [['alone', 0]]);
    assert.equal(hub.nextMessageId(), 1, 'no id was taken for it');
  });

  it('join: a new room, one already joined, a name that is none, too many rooms', () => {
    const { hub } = model();
    const link = new RecordingLink();
    hub.attachLink(link);
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    run(hub, b, join('#x'));
    ann.clear();
    bob.clear();
    run(hub, a, join('#x'));
    assert.deepEqual(ann.texts(), ['[#x] *** you joined #x (1 other member here); plain lines now go to #x']);
    assert.equal(codeOf(ann.lastMessage()), 'info/-');
    assert.deepEqual(bob.texts(), ['[#x] *** a:1 joined (line)']);
    assert.equal(a.current?.name, '#x');
    assert.deepEqual(ann.replays.at(-1), '#x');
    assert.deepEqual(link.joins.at(-1), ['#x', 'a:1']);
    run(hub, a, join('#LOBBY'));
    assert.equal(ann.last(), '[#lobby] *** you are in #lobby; plain lines now go there');
    assert.equal(codeOf(ann.lastMessage()), 'info/-');
    assert.equal(a.current?.name, '#lobby');
    assert.equal(hub.rooms.defaultRoom.count, 2, 'not joined twice');
    run(hub, a, join('#é!'));
    assert.match(ann.last(), /^\*\*\* #é! is not a room name/);
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_ROOM_INVALID');
    run(hub, a, join('#y'));
    assert.equal(a.rooms.size, 3);
    ann.clear();
    run(hub, a, join('#z'));
    assert.deepEqual(ann.texts(), ['*** you are in 3 rooms, the limit: /part one first']);
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_TOO_MANY_ROOMS');
    assert.equal(hub.rooms.find('#z')?.count ?? 0, 0);
    assert.equal(a.current?.name, '#y');
  });

  it('join: a typed port gets the joined event instead of the notice', () => {
    const { hub } = model();
    const page = new Recorder('p:1', 'ws', true);
    const p = hub.connect(page);
    page.clear();
    run(hub, p, join('#x'));
    assert.deepEqual(page.messages, []);
    assert.deepEqual(page.joinedRooms.map((room) => [room.name, room.count]), [['#lobby', 1], ['#x', 1]]);
  });

  it('join: a server full of rooms refuses with its own code', () => {
    const clock = { now: 1 };
    const hub = new Hub({ logger: pino({ level: 'silent' }), clock: () => clock.now, limits: { presenceDelayMs: 0, rateLimit: 0, rateLimitBytes: 0, maxRooms: 1 } });
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    run(hub, a, join('#more'));
    assert.match(ann.last(), /^\*\*\* the server holds 1 rooms, its limit/);
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_TOO_MANY_ROOMS');
  });

  it('join: the first member of a new room is its operator; one joining a known room, even empty, is not', () => {
    const { hub } = model();
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    const c = hub.connect(cat);
    run(hub, a, { type: 'nick', name: 'ann' }, join('#x'));
    run(hub, b, join('#x'));
    run(hub, b, { type: 'kick', room: '#x', nick: 'ann', reason: '' });
    assert.match(bob.last(), /^\[#x\] \*\*\* you are not an operator of #x/);
    run(hub, a, { type: 'mute', room: '#x', nick: 'b:2', give: true });
    assert.ok(!/not an operator/.test(ann.last()), ann.last());
    run(hub, a, { type: 'part', room: '#x', reason: '' });
    run(hub, b, { type: 'part', room: '#x', reason: '' });
    assert.equal(hub.rooms.find('#x')?.count, 0);
    run(hub, c, join('#x'));
    run(hub, c, { type: 'lock', room: '#x', what: 'topic', on: true });
    assert.match(cat.last(), /^\[#x\] \*\*\* you are not an operator of #x/);
    // A ban keeps a member out: the join is refused, nothing else is said.
    run(hub, a, join('#y'), { type: 'ban', room: '#y', target: 'c:3', durationMs: null });
    cat.clear();
    run(hub, c, join('#y'));
    assert.equal(cat.messages.length, 1);
    assert.equal(codeOf(cat.lastMessage()), 'error/SB_ERR_BANNED');
    assert.equal(c.current?.name, '#x');
    assert.equal(hub.rooms.find('#y')?.count, 1);
  });
});
