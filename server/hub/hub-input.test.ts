import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LogLine, Recorder, hubWith, say } from '../test-support/hub-harness.js';

/**
 * A member's input as the hub handles it (model, no sockets, a set clock): text lines, typed
 * intents, requests and refusals; the flood limit's callbacks (slowed down, paused, resumed,
 * flooding); and what the log keeps of a line (never a password, long texts cut).
 */

/** The log lines with this message. */
function logged(logs: LogLine[], msg: string): LogLine[] {
  return logs.filter((line) => line.msg === msg);
}

describe('Hub input (model, no sockets)', () => {
  it('a blank line says nothing and is not counted; every other line is counted once', () => {
    const { hub } = hubWith();
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    hub.connect(bob);
    const heard = bob.messages.length;
    say(hub, a, '   ');
    say(hub, a, '\u0007');
    assert.equal(bob.messages.length, heard);
    assert.equal(ann.messages.filter((message) => message.room === null).length, 1, 'only the welcome');
    assert.equal(hub.stats.messagesIn.line, 0);
    say(hub, a, 'one');
    say(hub, a, '/nick ann');
    assert.equal(hub.stats.messagesIn.line, 2);
  });

  it('runs a typed intent as input, counted as a message', () => {
    const { hub } = hubWith();
    const [page, bob] = [new Recorder('p:1', 'ws', true), new Recorder('b:2')];
    const p = hub.connect(page);
    hub.connect(bob);
    hub.input(p, { kind: 'intent', intent: { type: 'say', room: null, kind: 'chat', text: 'typed hello' }, bytes: 11 });
    assert.equal(bob.last(), '[#lobby] p:1: typed hello');
    assert.equal(hub.stats.messagesIn.ws, 1);
  });

  it('hands a refusal back to a port that has refusals, counting its code; a port without one is not troubled', () => {
    const { hub } = hubWith();
    const page = new Recorder('p:1', 'ws', true);
    const line = new Recorder('l:2');
    const p = hub.connect(page);
    const l = hub.connect(line);
    hub.input(p, { kind: 'refused', code: 'SB_ERR_INVALID_EVENT', message: 'no such event', bytes: 3 });
    assert.deepEqual(page.refusals, [{ code: 'SB_ERR_INVALID_EVENT', message: 'no such event' }]);
    assert.doesNotThrow(() => hub.input(l, { kind: 'refused', code: 'SB_ERR_INVALID_EVENT', message: 'no such event', bytes: 3 }));
    assert.equal(hub.stats.errors.get('SB_ERR_INVALID_EVENT'), 2);
    assert.equal(l.present, true);
    assert.equal(hub.stats.messagesIn.ws, 0, 'a refusal is not a message');
  });

  it('over the message rate: one error notice, input paused, then what was held follows in order and input resumes', (t) => {
    const { hub, clock } = hubWith({ limits: { rateLimit: 1000, rateBurst: 1, rateLimitBytes: 0 } });
    // A held flow's timer would fire for ever against the set clock if an assertion failed first.
    t.after(() => hub.closeAll('test over'));
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    hub.connect(bob);
    say(hub, a, 'first');
    say(hub, a, 'second');
    say(hub, a, 'third');
    assert.equal(bob.last(), '[#lobby] a:1: first');
    const slow = ann.messages.at(-1);
    assert.equal(slow?.text, 'slow down: over 1000 messages/s; your input is held back and will follow in order');
    assert.equal(slow?.notice, 'error');
    assert.equal(slow?.code, 'SB_ERR_RATE_LIMITED');
    assert.equal(ann.messages.filter((message) => message.code === 'SB_ERR_RATE_LIMITED').length, 1, 'told once per run');
    assert.equal(hub.stats.errors.get('SB_ERR_RATE_LIMITED'), 1);
    assert.equal(ann.reading[0], 'pause');
    clock.now += 1;
    a.flow?.release();
    clock.now += 1;
    a.flow?.release();
    hub.leave(a);
    assert.deepEqual(bob.texts().slice(-4), ['[#lobby] a:1: first', '[#lobby] a:1: second', '[#lobby] a:1: third', '[#lobby] *** a:1 left']);
    assert.equal(ann.reading.at(-1), 'resume');
  });

  it('over the byte rate alone, or over both, the notice names what was exceeded', (t) => {
    const bytes = hubWith({ limits: { rateLimit: 0, rateLimitBytes: 10, rateBurstBytes: 10 } });
    t.after(() => bytes.hub.closeAll('test over'));
    const ann = new Recorder('a:1');
    const a = bytes.hub.connect(ann);
    say(bytes.hub, a, 'abcdefghij');
    say(bytes.hub, a, 'k');
    assert.equal(ann.messages.at(-1)?.text, 'slow down: over 10 bytes/s; your input is held back and will follow in order');
    bytes.hub.leave(a);
    const both = hubWith({ limits: { rateLimit: 1000, rateBurst: 1, rateLimitBytes: 100, rateBurstBytes: 100 } });
    t.after(() => both.hub.closeAll('test over'));
    const bob = new Recorder('b:2');
    const b = both.hub.connect(bob);
    say(both.hub, b, 'x');
    say(both.hub, b, 'y');
    assert.equal(bob.messages.at(-1)?.text, 'slow down: over 1000 messages/s or 100 bytes/s; your input is held back and will follow in order');
    both.hub.leave(b);
  });

  it('too much input held back closes the connection as flooding, its leave announced', (t) => {
    const { hub } = hubWith({ limits: { rateLimit: 1000, rateBurst: 1, rateLimitBytes: 0, maxInputQueue: 100 } });
    t.after(() => hub.closeAll('test over'));
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    hub.connect(bob);
    say(hub, a, 'first');
    say(hub, a, 'second');
    assert.equal(ann.closed, null);
    say(hub, a, 'third');
    assert.equal(ann.closed, 'SB_ERR_RATE_LIMITED');
    assert.match(ann.farewell?.text ?? '', /^error: flooding: \d+ bytes of input waiting, over the 100-byte limit; closing connection$/);
    assert.equal(bob.last(), '[#lobby] *** a:1 left (SB_ERR_RATE_LIMITED)');
    assert.equal(a.present, false);
  });

  it('logs a line with its sender and room, cutting a text over 200 characters', () => {
    const { hub, logs } = hubWith();
    const a = hub.connect(new Recorder('a:1'));
    say(hub, a, 'x'.repeat(200));
    say(hub, a, 'y'.repeat(250), '#lobby');
    const received = logged(logs, 'received');
    assert.equal(received.length, 2);
    assert.deepEqual({ ...received[0], time: 0, pid: 0, hostname: '' }, { level: 30, time: 0, pid: 0, hostname: '', from: 'a:1', name: 'a:1', transport: 'line', text: 'x'.repeat(200), length: 200, msg: 'received' });
    assert.equal(received[1]?.text, `${'y'.repeat(200)}…`);
    assert.equal(received[1]?.length, 250);
    assert.equal(received[1]?.room, '#lobby');
  });

  it('never logs a password, an operator secret or a NickServ message: only which command came', () => {
    const { hub, logs } = hubWith();
    const a = hub.connect(new Recorder('a:1'));
    // Each from its own member: /register and /login hold what follows until their hash is done.
    for (const line of ['/pass hunter2', '/oper root hunter2', '/register ann hunter2hunter2', '/login ann hunter2hunter2', '/msg NickServ IDENTIFY hunter2', '/msg nickserv identify hunter2']) say(hub, hub.connect(new Recorder('a:1')), line);
    assert.ok(!JSON.stringify(logs).includes('hunter2'), JSON.stringify(logs));
    const commands = logs.filter((line) => line.msg.startsWith('received /'));
    assert.deepEqual(commands.map((line) => line.msg), ['received /pass', 'received /oper', 'received /register', 'received /login', 'received /msg', 'received /msg']);
    for (const line of commands) assert.deepEqual([line.from, line.transport], ['a:1', 'line']);
    say(hub, a, '/msg bob hi bob');
    assert.equal(logged(logs, 'received').at(-1)?.text, '/msg bob hi bob', 'a message to anyone else is logged as any line');
  });

  it('logs a rename, a disconnect, a leave and a join with who it was', () => {
    const { hub, logs } = hubWith();
    const a = hub.connect(new Recorder('a:1'));
    assert.deepEqual(logged(logs, 'member joined').map((line) => [line.member, line.from, line.transport]), [[1, 'a:1', 'line']]);
    say(hub, a, '/nick ann');
    assert.deepEqual(logged(logs, 'nick changed').map((line) => [line.member, line.from, line.previous, line.nick]), [[1, 'a:1', 'a:1', 'ann']]);
    hub.disconnect(a, 'SB_ERR_SLOW_CONSUMER', 'too slow');
    const warning = logged(logs, 'disconnecting: too slow');
    assert.deepEqual(warning.map((line) => [line.level, line.member, line.from, line.name, line.code]), [[40, 1, 'a:1', 'ann', 'SB_ERR_SLOW_CONSUMER']]);
    assert.deepEqual(logged(logs, 'member left').map((line) => [line.member, line.from, line.name, line.reason]), [[1, 'a:1', 'ann', 'SB_ERR_SLOW_CONSUMER']]);
  });

  it('logs a shutdown with how many it closed', () => {
    const { hub, logs } = hubWith();
    hub.connect(new Recorder('a:1'));
    hub.connect(new Recorder('b:2'));
    hub.closeAll('bye');
    assert.deepEqual(logged(logs, 'closed every connection').map((line) => line.members), [2]);
  });

  it('logs operators and account events at their levels, a store failure with its error', () => {
    const { hub, logs } = hubWith();
    const a = hub.connect(new Recorder('a:1'));
    hub.logOperator(a, 'root');
    hub.logAccount(a, 'registered', 'ann');
    hub.logAccount(a, 'logged in', 'ann');
    hub.logAccount(a, 'login failed', 'ann');
    hub.logAccount(a, 'failed', 'ann', new Error('disk full'));
    const tail = logs.slice(-5);
    assert.deepEqual(tail.map((line) => [line.level, line.msg]), [
      [40, 'server operator'],
      [30, 'account registered'],
      [30, 'account logged in'],
      [40, 'login failed'],
      [50, 'account store failed'],
    ]);
    assert.deepEqual([tail[0]?.member, tail[0]?.from, tail[0]?.name, tail[0]?.admin], [1, 'a:1', 'a:1', 'root']);
    for (const line of tail.slice(1)) assert.deepEqual([line.member, line.from, line.transport, line.account], [1, 'a:1', 'line', 'ann']);
    assert.match(JSON.stringify(tail[4]?.err), /disk full/);
  });
});
