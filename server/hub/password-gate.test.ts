import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { MemberInfo, RateLimits, Transport } from '../../shared/events.js';
import { ServerPassword } from '../auth/server-password.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { Hub } from './hub.js';
import { PASSWORD_WAIT_MS, PasswordGate, passwordPrompt } from './password-gate.js';
import { type CloseReason, Session, type SessionConnection } from './session.js';

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

/** The gate alone: a host that records every close and admission, and a log that keeps its lines. */
function bareGate(): { gate: PasswordGate; closes: { id: number; code: string; text: string }[]; admitted: number[]; logs: Record<string, unknown>[]; clock: { now: number } } {
  const clock = { now: 5_000_000 };
  const closes: { id: number; code: string; text: string }[] = [];
  const admitted: number[] = [];
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const host = {
    clock: () => clock.now,
    disconnect: (session: Session, code: string, text: string) => void closes.push({ id: session.id, code, text }),
    admit: (session: Session) => void admitted.push(session.id),
  };
  const password = new ServerPassword('pw', { failureBurst: 2, failureRefillMs: 10_000 });
  return { gate: new PasswordGate(password, host, log), closes, admitted, logs, clock };
}

function waiting(id: number, address: string, transport: Transport = 'line'): Session {
  const session = new Session(id, new Recorder(address, transport), 0);
  session.authenticated = false;
  return session;
}

describe('PasswordGate (alone)', () => {
  /** Each text client is told the command it speaks: IRC clients PASS, the others /pass. */
  it('prompts IRC clients for PASS and every other transport for /pass', () => {
    assert.equal(passwordPrompt('irc'), 'this server needs a password: send PASS PASSWORD before NICK and USER');
    assert.equal(passwordPrompt('line'), 'this server needs a password: send /pass PASSWORD as your first message');
    assert.equal(passwordPrompt('ws'), 'this server needs a password: send /pass PASSWORD as your first message');
  });

  /** A pass intent that carries no secret (a bare `/pass`) is no password at all: the close, nothing counted. */
  it('closes a session whose pass intent has no secret, or whose intent is anything else', () => {
    const { gate, closes, admitted } = bareGate();
    gate.screen(waiting(1, '10.0.0.1:1'), { type: 'pass', secret: null });
    gate.screen(waiting(2, '10.0.0.1:2'), { type: 'say', room: null, kind: 'chat', text: 'hi' });
    const text = 'this server needs a password: the first message must be /pass PASSWORD';
    assert.deepEqual(closes, [
      { id: 1, code: 'SB_ERR_PASSWORD_REQUIRED', text },
      { id: 2, code: 'SB_ERR_PASSWORD_REQUIRED', text },
    ]);
    assert.deepEqual(admitted, []);
    gate.screen(waiting(3, '10.0.0.1:3'), { type: 'pass', secret: 'pw' });
    assert.deepEqual(admitted, [3], 'the missing secrets cost the address no attempt');
  });

  /** The right secret admits (and is logged for the operator); a wrong one closes with its own code. */
  it('admits on the right secret, logging who came in, and closes on a wrong one', () => {
    const { gate, closes, admitted, logs } = bareGate();
    const good = waiting(7, '10.0.0.9:70', 'irc');
    gate.screen(good, { type: 'pass', secret: 'pw' });
    assert.equal(good.authenticated, true);
    assert.deepEqual(admitted, [7]);
    assert.deepEqual(closes, []);
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!['msg'], 'password accepted');
    assert.deepEqual([logs[0]!['member'], logs[0]!['from'], logs[0]!['transport']], [7, '10.0.0.9:70', 'irc']);
    const bad = waiting(8, '10.0.0.9:80');
    gate.screen(bad, { type: 'pass', secret: 'nope' });
    assert.equal(bad.authenticated, false);
    assert.deepEqual(closes, [{ id: 8, code: 'SB_ERR_BAD_PASSWORD', text: 'wrong password' }]);
    assert.deepEqual(admitted, [7]);
  });

  /** Past the burst of wrong attempts the address is locked out, told for how many whole seconds (rounded up). */
  it('locks an address out after its burst of wrong passwords, saying when to retry in seconds', () => {
    const { gate, closes, admitted, clock } = bareGate();
    gate.screen(waiting(1, '10.0.0.5:1'), { type: 'pass', secret: 'x' });
    gate.screen(waiting(2, '10.0.0.5:2'), { type: 'pass', secret: 'y' });
    clock.now += 1;
    gate.screen(waiting(3, '10.0.0.5:3'), { type: 'pass', secret: 'pw' });
    assert.deepEqual(closes.map((close) => close.code), ['SB_ERR_BAD_PASSWORD', 'SB_ERR_BAD_PASSWORD', 'SB_ERR_PASSWORD_LOCKOUT']);
    assert.equal(closes[2]!.text, 'too many wrong passwords from 10.0.0.5; try again in 10 s');
    assert.deepEqual(admitted, []);
    clock.now += 9_000;
    gate.screen(waiting(4, '10.0.0.5:4'), { type: 'pass', secret: 'pw' });
    assert.equal(closes[3]!.text, 'too many wrong passwords from 10.0.0.5; try again in 1 s');
    gate.screen(waiting(5, '10.0.0.6:1'), { type: 'pass', secret: 'pw' });
    assert.deepEqual(admitted, [5], 'another address is not locked');
  });
});
