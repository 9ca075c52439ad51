import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Transport } from '../../shared/events.js';
import type { ReplayCursor } from '../channel/channel-history.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { Hub, type HubOptions } from './hub.js';
import type { CloseReason, Session, SessionConnection } from './session.js';

/**
 * A Session's own state as the hub and the transports read it: a fresh member is active (the
 * idle clock starts at its first sweep, not at its connection), no server operator, and its
 * current room's key is what the text transports prefix by. Driven through the Hub model with an
 * injected clock and a recording connection, as in hub.test.ts: no sockets.
 */

class Recorder implements SessionConnection {
  readonly texts: string[] = [];
  closed: CloseReason | null = null;
  constructor(
    readonly address: string,
    readonly transport: Transport = 'line',
  ) {}
  deliver(message: OutgoingMessage): void {
    this.texts.push(message.text);
  }
  replay(_cursor: ReplayCursor): void {}
  pauseInput(): void {}
  resumeInput(): void {}
  close(reason: CloseReason): void {
    this.closed = reason;
  }
}

function hubWith(limits: Partial<HubOptions['limits']> = {}): { hub: Hub; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const hub = new Hub({ logger: pino({ level: 'silent' }), clock: () => clock.now, limits: { presenceDelayMs: 0, rateLimit: 0, rateLimitBytes: 0, ...limits } });
  return { hub, clock };
}

function say(hub: Hub, session: Session, line: string): void {
  hub.input(session, { kind: 'text', text: line, bytes: line.length });
}

describe('Session', () => {
  it('starts active: a member who sends nothing is closed one whole idle timeout after the first sweep that saw it', () => {
    const { hub, clock } = hubWith({ idleTimeoutMs: 60_000 });
    const ann = new Recorder('a:1');
    const a = hub.connect(ann);
    assert.equal(a.active, true);
    assert.equal(a.lastActive, clock.now, 'the idle clock starts at the connection');
    // Connected long ago by the time of the first sweep: still not idle, it was never swept.
    clock.now += 60_000;
    hub.sweepIdle();
    assert.equal(ann.closed, null, 'closed by the first sweep that saw it');
    assert.equal(a.active, false);
    assert.equal(a.lastActive, clock.now);
    clock.now += 59_999;
    hub.sweepIdle();
    assert.equal(ann.closed, null);
    clock.now += 1;
    hub.sweepIdle();
    assert.equal(ann.closed, 'SB_ERR_IDLE_TIMEOUT');
    assert.equal(a.present, false);
  });

  it('starts as no server operator: /kill is refused and kicking in a room it does not run is too', () => {
    const { hub } = hubWith();
    const [ann, bob] = [new Recorder('a:1'), new Recorder('b:2')];
    const a = hub.connect(ann);
    const b = hub.connect(bob);
    assert.equal(a.serverOperator, false);
    say(hub, b, '/nick bob');
    say(hub, a, '/kill bob');
    assert.equal(ann.texts.at(-1), '/kill is for server operators (/oper NAME SECRET)');
    assert.equal(bob.closed, null);
    assert.equal(b.present, true);
    // b runs #b (it made it); a joins and may not kick b there.
    say(hub, b, '/join #b');
    say(hub, a, '/join #b');
    say(hub, a, '/kick bob');
    assert.equal(hub.rooms.find('#b')?.count, 2, 'b was kicked by a member who is no operator');
  });

  it('names itself by nickname, else by address, and gives its current room key (null in none)', () => {
    const { hub } = hubWith();
    const irc = new Recorder('10.0.0.9:9', 'irc');
    const s = hub.connect(irc, { enterDefaultRoom: false });
    assert.equal(s.current, null);
    assert.equal(s.currentKey, null);
    assert.equal(s.name, '10.0.0.9:9');
    assert.deepEqual(s.info(), { id: s.id, name: '10.0.0.9:9', transport: 'irc' });
    say(hub, s, '/join #Ops');
    assert.equal(s.currentKey, hub.rooms.find('#ops')?.key);
    assert.equal(typeof s.currentKey, 'string');
    say(hub, s, '/nick ann');
    assert.equal(s.name, 'ann');
    assert.equal(s.address, '10.0.0.9:9');
    assert.equal(s.transport, 'irc');
    say(hub, s, '/part');
    assert.equal(s.currentKey, null, 'out of its only room');
  });
});
