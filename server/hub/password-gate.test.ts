import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { MemberInfo, RateLimits, Transport } from '../../shared/events.js';
import { ServerPassword } from '../auth/server-password.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { Hub } from './hub.js';
import { PASSWORD_WAIT_MS } from './password-gate.js';
import type { CloseReason, SessionConnection } from './session.js';

/** The hub's password gate as a model: connections that record what they are handed, a set clock. */
class Recorder implements SessionConnection {
  readonly texts: string[] = [];
  closed: CloseReason | null = null;
  welcomed: boolean | null = null;
  constructor(
    readonly address: string,
    readonly transport: Transport = 'line',
    typed = false,
  ) {
    if (typed) this.welcome = (_you: MemberInfo, _limits: RateLimits, _room: string, passwordRequired: boolean) => void (this.welcomed = passwordRequired);
  }
  welcome?: (you: MemberInfo, limits: RateLimits, room: string, passwordRequired: boolean) => void;
  deliver(message: OutgoingMessage): void {
    this.texts.push(message.text);
  }
  replay(): void {}
  pauseInput(): void {}
  resumeInput(): void {}
  close(reason: CloseReason, farewell: OutgoingMessage | null): void {
    this.closed = reason;
    if (farewell !== null) this.texts.push(farewell.text);
  }
}

function gatedHub(): { hub: Hub; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const hub = new Hub({ logger: pino({ level: 'silent' }), clock: () => clock.now, limits: { presenceDelayMs: 0, rateLimit: 0, rateLimitBytes: 0 }, password: new ServerPassword('pw') });
  return { hub, clock };
}

function type(hub: Hub, session: ReturnType<Hub['connect']>, text: string): void {
  hub.input(session, { kind: 'text', text, bytes: text.length });
}

describe('PasswordGate (the hub, no sockets)', () => {
  it('keeps a session out of every room, unnamed and unannounced, until /pass; text clients get a prompt, the page a flag', () => {
    const { hub } = gatedHub();
    const line = new Recorder('10.0.0.1:1');
    const page = new Recorder('10.0.0.2:2', 'ws', true);
    const lineSession = hub.connect(line);
    const pageSession = hub.connect(page);
    assert.deepEqual(line.texts, ['this server needs a password: send /pass PASSWORD as your first message']);
    assert.equal(page.welcomed, true);
    assert.deepEqual(page.texts, [], 'the page is told by its welcome, not a notice');
    assert.equal(hub.rooms.defaultRoom.count, 0);
    hub.execute(pageSession, { type: 'pass', secret: 'pw' });
    assert.equal(hub.rooms.defaultRoom.count, 1);
    hub.execute(pageSession, { type: 'say', room: null, kind: 'chat', text: 'secret chat' });
    assert.ok(!line.texts.some((text) => text.includes('secret chat') || text.includes('joined')), JSON.stringify(line.texts));
    type(hub, lineSession, '/pass pw');
    assert.match(line.texts.at(-1)!, /^welcome to switchboard/);
    assert.equal(hub.rooms.defaultRoom.count, 2);
  });

  it('cannot be sent a direct message by its address before the password', () => {
    const { hub } = gatedHub();
    const waiting = new Recorder('10.0.0.1:1');
    const member = new Recorder('10.0.0.2:2');
    hub.connect(waiting);
    const session = hub.connect(member);
    type(hub, session, '/pass pw');
    type(hub, session, '/msg 10.0.0.1:1 psst');
    assert.ok(!waiting.texts.some((text) => text.includes('psst')), JSON.stringify(waiting.texts));
    assert.equal(hub.stats.errors.get('SB_ERR_NO_SUCH_MEMBER'), 1);
  });

  it('lets /quit through before the password, and refuses /nick as a missing password', () => {
    const { hub } = gatedHub();
    const quitter = new Recorder('10.0.0.1:1');
    type(hub, hub.connect(quitter), '/quit bye');
    assert.equal(quitter.closed, 'quit');
    const namer = new Recorder('10.0.0.1:2');
    type(hub, hub.connect(namer), '/nick ann');
    assert.equal(namer.closed, 'SB_ERR_PASSWORD_REQUIRED');
    assert.equal(hub.stats.errors.get('SB_ERR_PASSWORD_REQUIRED'), 1);
  });

  it(`closes a connection that gave no password within ${PASSWORD_WAIT_MS / 1000} s, and only that one`, () => {
    const { hub, clock } = gatedHub();
    const silent = new Recorder('10.0.0.1:1');
    const member = new Recorder('10.0.0.1:2');
    hub.connect(silent);
    type(hub, hub.connect(member), '/pass pw');
    clock.now += PASSWORD_WAIT_MS - 1;
    hub.sweepIdle();
    assert.equal(silent.closed, null);
    clock.now += 1;
    hub.sweepIdle();
    assert.equal(silent.closed, 'SB_ERR_PASSWORD_REQUIRED');
    assert.match(silent.texts.at(-1)!, /no password within 60 s/);
    assert.equal(member.closed, null);
  });
});
