import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeOf, join, model, Recorder, RecordingLink, run } from '../test-support/hub-model.js';
import type { SessionConnection } from './session.js';

/**
 * The intents that answer or leave (hub/intent-runner.ts), seen from the members: part, msg
 * (local and through the cluster link), who, rooms, topic, quit. Socket-free, like
 * intent-runner.test.ts (test-support/hub-model.ts).
 */

describe('IntentRunner: part, msg, who, rooms, topic, quit (model, no sockets)', () => {
  it('part: the room hears it with the reason; the current room falls to the last one joined; then none', () => {
    const { hub } = model();
    const link = new RecordingLink();
    hub.attachLink(link);
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    run(hub, a, join('#x'), join('#y'), join('#x'));
    run(hub, b, join('#x'));
    for (const r of [ann, bob]) r.clear();
    run(hub, a, { type: 'part', room: '#lobby', reason: 'bye' });
    assert.deepEqual(ann.texts(), ['*** you left #lobby; plain lines now go to #x']);
    assert.equal(a.current?.name, '#x', 'parting another room keeps the current one');
    assert.deepEqual(bob.texts(), ['[#lobby] *** a:1 left (bye)']);
    run(hub, a, { type: 'part', room: null, reason: '' });
    assert.equal(ann.last(), '*** you left #x; plain lines now go to #y');
    assert.equal(a.current?.name, '#y');
    assert.equal(bob.last(), '[#x] *** a:1 left');
    assert.deepEqual(link.parts, [['#lobby', 'a:1', 'bye'], ['#x', 'a:1', undefined]]);
    run(hub, a, { type: 'part', room: '#Y', reason: '' });
    assert.equal(ann.last(), '*** you left #y; you are in no room now: /join #ROOM to talk');
    assert.equal(codeOf(ann.lastMessage()), 'info/-');
    assert.equal(a.current, null);
    assert.equal(a.rooms.size, 0);
    run(hub, a, { type: 'part', room: null, reason: '' }, { type: 'part', room: '#x', reason: '' });
    assert.deepEqual(ann.texts().slice(-2), ['*** you are in no room: /join #ROOM to talk', '*** you are not in #x: /join #x first']);
    assert.equal(link.parts.length, 3);
    assert.equal(hub.rooms.find('#x')?.count, 1);
  });

  it('part: a typed port gets the parted event with the reason, not a notice', () => {
    const { hub } = model();
    const page = new Recorder('p:1', 'ws', true);
    const p = hub.connect(page);
    run(hub, p, join('#x'));
    page.clear();
    run(hub, p, { type: 'part', room: '#x', reason: 'later' }, { type: 'part', room: null, reason: '' });
    assert.deepEqual(page.partedRooms, [['#x', 'later'], ['#lobby', '']]);
    assert.deepEqual(page.messages, []);
  });

  it('msg: to a local member by nickname or address, acknowledged; to oneself, only acknowledged; to nobody, an error', () => {
    const { hub, clock } = model();
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    hub.connect(cat);
    run(hub, b, { type: 'nick', name: 'bob' });
    for (const r of [ann, bob, cat]) r.clear();
    clock.now = 5_000_000;
    run(hub, a, { type: 'msg', to: 'BOB', kind: 'action', text: 'waves' }, { type: 'msg', to: 'c:3', kind: 'chat', text: 'psst' });
    assert.deepEqual(bob.messages.map((m) => [m.kind, m.to?.name, m.from?.name, m.text, m.time, m.room]), [['action', 'bob', 'a:1', 'waves', 5_000_000, null]]);
    assert.deepEqual(cat.texts(), ['a:1: psst']);
    assert.deepEqual(ann.acks.map((m) => [m.to?.name, m.text]), [['bob', 'waves'], ['c:3', 'psst']]);
    run(hub, a, { type: 'msg', to: 'a:1', kind: 'chat', text: 'me' });
    assert.deepEqual(ann.messages, [], 'no copy to oneself');
    assert.equal(ann.acks.at(-1)?.text, 'me');
    run(hub, a, { type: 'msg', to: 'b:2', kind: 'chat', text: 'by old address' });
    assert.equal(ann.last(), '*** no member is called b:2');
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_NO_SUCH_MEMBER');
    assert.equal(bob.messages.length, 1);
    assert.equal(cat.messages.length, 1);
    assert.equal(hub.stats.directMessages, 3);
  });

  it('msg: to a member of another instance through the link; told when it cannot go; nothing once gone', async () => {
    const { hub, clock } = model();
    const link = new RecordingLink();
    hub.attachLink(link);
    const zed = { id: 99, name: 'zed', transport: 'irc' as const };
    link.remotes.set('zed', { info: zed, instance: 'there', rooms: [] });
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    ann.clear();
    clock.now = 6_000_000;
    run(hub, a, { type: 'msg', to: 'Zed', kind: 'chat', text: 'hi zed' });
    assert.deepEqual(link.directs, [[{ to: zed, from: a.info(), kind: 'chat', text: 'hi zed', time: 6_000_000 }, 'there']]);
    assert.equal(ann.acks.length, 0, 'not before the link took it');
    link.sent(true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ann.acks.map((m) => [m.kind, m.to?.name, m.from?.name, m.text, m.time]), [['chat', 'zed', 'a:1', 'hi zed', 6_000_000]]);
    assert.equal(hub.stats.directMessages, 1);
    assert.deepEqual(ann.messages, []);
    run(hub, a, { type: 'msg', to: 'zed', kind: 'chat', text: 'again' });
    link.sent(false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ann.texts(), ['*** your message to zed could not be delivered: the other instances cannot be reached']);
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_NO_SUCH_MEMBER');
    assert.equal(ann.acks.length, 1);
    assert.equal(hub.stats.directMessages, 1);
    run(hub, a, { type: 'msg', to: 'nobody', kind: 'chat', text: '?' });
    assert.equal(ann.last(), '*** no member is called nobody');
    assert.equal(link.directs.length, 2);
    run(hub, a, { type: 'msg', to: 'zed', kind: 'chat', text: 'bye' });
    hub.leave(a);
    ann.clear();
    link.sent(false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ann.messages, []);
    assert.equal(ann.acks.length, 0);
  });

  it('msg through the link from a port with no acknowledgement: delivered and counted, nothing thrown', async () => {
    const { hub } = model();
    const link = new RecordingLink();
    hub.attachLink(link);
    link.remotes.set('zed', { info: { id: 99, name: 'zed', transport: 'irc' }, instance: 'there', rooms: [] });
    const got: string[] = [];
    const plain: SessionConnection = {
      transport: 'line',
      address: 't:9',
      deliver: (message) => void got.push(message.text),
      replay: () => undefined,
      pauseInput: () => undefined,
      resumeInput: () => undefined,
      close: () => undefined,
    };
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const t = hub.connect(plain);
      got.length = 0;
      run(hub, t, { type: 'msg', to: 'zed', kind: 'chat', text: 'hi' });
      link.sent(true);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    assert.deepEqual(rejections, []);
    assert.deepEqual(got, []);
    assert.equal(hub.stats.directMessages, 1);
  });

  it('who: a notice about the room, or the typed list when asked quietly by a port that has one', () => {
    const { hub } = model();
    const [ann, page] = [new Recorder('a:1'), new Recorder('p:2', 'ws', true)];
    const a = hub.connect(ann);
    const p = hub.connect(page);
    run(hub, a, join('#x'));
    run(hub, p, join('#x'));
    for (const r of [ann, page]) r.clear();
    run(hub, a, { type: 'who', room: null, quiet: true });
    assert.deepEqual(ann.texts(), ['[#x] *** members of #x (2): a:1 (line), p:2 (ws)']);
    assert.equal(codeOf(ann.lastMessage()), 'info/-');
    run(hub, p, { type: 'who', room: '#lobby', quiet: true });
    assert.deepEqual(page.memberLists, [['#lobby', ['a:1', 'p:2'], 2]]);
    assert.deepEqual(page.messages, []);
    run(hub, p, { type: 'who', room: '#lobby', quiet: false });
    assert.equal(page.last(), '[#lobby] *** members of #lobby (2): a:1 (line), p:2 (ws)');
    run(hub, p, { type: 'who', room: '#nope', quiet: true });
    assert.equal(page.last(), '*** you are not in #nope: /join #nope first');
    assert.equal(page.messages.length, 2);
    assert.equal(page.memberLists.length, 1);
  });

  it('rooms: the typed list, or one notice', () => {
    const { hub } = model();
    const [ann, page] = [new Recorder('a:1'), new Recorder('p:2', 'ws', true)];
    const a = hub.connect(ann);
    const p = hub.connect(page);
    run(hub, a, join('#x'), { type: 'topic', room: null, text: 'hi' });
    for (const r of [ann, page]) r.clear();
    run(hub, a, { type: 'rooms' });
    run(hub, p, { type: 'rooms' });
    assert.deepEqual(ann.texts(), ['*** rooms (2): #lobby (2), #x (1: hi)']);
    assert.deepEqual(page.listed, { rooms: [{ name: '#lobby', count: 2, topic: '' }, { name: '#x', count: 1, topic: 'hi' }], count: 2 });
    assert.deepEqual(page.messages, []);
  });

  it('topic: asked, set (spaces squeezed, up to 300 characters), cleared, refused when locked or too long', () => {
    const { hub } = model();
    const link = new RecordingLink();
    hub.attachLink(link);
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    hub.connect(cat);
    run(hub, a, join('#x'));
    run(hub, b, join('#x'));
    for (const r of [ann, bob, cat]) r.clear();
    run(hub, b, { type: 'topic', room: null, text: null });
    assert.deepEqual(bob.texts(), ['[#x] *** #x has no topic']);
    run(hub, b, { type: 'topic', room: '#x', text: '  deploys \t on\n fridays  ' });
    const set = '[#x] *** b:2 set the topic of #x: deploys on fridays';
    assert.deepEqual([ann.last(), bob.last()], [set, set]);
    assert.deepEqual([bob.lastMessage().notice, bob.lastMessage().topic, bob.lastMessage().setter?.name], ['topic', 'deploys on fridays', 'b:2']);
    assert.deepEqual(cat.messages, [], 'only the room hears it');
    assert.equal(hub.rooms.find('#x')?.topic, 'deploys on fridays');
    assert.deepEqual(link.topics, [['#x', 'deploys on fridays']]);
    run(hub, b, { type: 'topic', room: null, text: null });
    assert.equal(bob.last(), '[#x] *** topic of #x: deploys on fridays');
    assert.equal(codeOf(bob.lastMessage()), 'info/-');
    run(hub, a, { type: 'topic', room: null, text: '   ' });
    assert.equal(bob.last(), '[#x] *** a:1 cleared the topic of #x');
    assert.equal(bob.lastMessage().topic, '');
    run(hub, a, { type: 'topic', room: null, text: '😀'.repeat(300) });
    assert.equal([...(hub.rooms.find('#x')?.topic ?? '')].length, 300, '300 characters, not UTF-16 units');
    run(hub, a, { type: 'topic', room: null, text: 'x'.repeat(301) });
    assert.equal(ann.last(), '*** a topic has at most 300 characters');
    assert.equal(codeOf(ann.lastMessage()), 'error/SB_ERR_TOPIC_TOO_LONG');
    run(hub, a, { type: 'lock', room: null, what: 'topic', on: true });
    const heard = bob.messages.length;
    run(hub, b, { type: 'topic', room: null, text: 'mine' });
    assert.match(bob.last(), /^\[#x\] \*\*\* you are not an operator of #x/);
    assert.equal(bob.messages.length, heard + 1);
    assert.equal(link.topics.length, 3);
    run(hub, b, { type: 'topic', room: '#y', text: 'there' });
    assert.equal(bob.last(), '*** you are not in #y: /join #y first');
  });

  it('quit: a goodbye as the farewell, the rooms told the reason; without one, plain', () => {
    const { hub } = model();
    const [ann, bob, cat] = [new Recorder('a:1'), new Recorder('b:2'), new Recorder('c:3')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    const c = hub.connect(cat);
    ann.clear();
    run(hub, b, { type: 'quit', reason: 'tired' });
    assert.deepEqual(bob.closed, { reason: 'quit', farewell: 'goodbye (tired)', kind: 'info' });
    assert.equal(ann.last(), '[#lobby] *** b:2 left (quit: tired)');
    run(hub, c, { type: 'quit', reason: '' });
    assert.deepEqual(cat.closed, { reason: 'quit', farewell: 'goodbye', kind: 'info' });
    assert.equal(ann.last(), '[#lobby] *** c:3 left');
    assert.equal(hub.size, 1);
    assert.ok(!b.present && !c.present && a.present);
  });
});
