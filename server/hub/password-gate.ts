import type { Logger } from 'pino';
import type { ErrorCode } from '../../shared/errors.js';
import { type ServerPassword, ipOfAddress } from '../auth/server-password.js';
import type { Clock } from '../message/clock.js';
import type { Intent } from './intents.js';
import type { Session } from './session.js';

/** What the gate needs of the hub: its clock and log, a way to close, and to let a session in. */
export interface PasswordGateHost {
  readonly clock: Clock;
  disconnect(session: Session, code: ErrorCode, text: string): void;
  /** The session gave the password: announce it and put it where it would have gone on connecting. */
  admit(session: Session): void;
}

/**
 * How long a connection may stay without giving the password (the idle sweep closes it after):
 * a connection that never says anything would otherwise hold its slot for good, even with
 * `--idle-timeout 0`.
 */
export const PASSWORD_WAIT_MS = 60_000;

/** The prompt a text or IRC client gets on connecting to a server with a password. */
export function passwordPrompt(transport: Session['transport']): string {
  return transport === 'irc' ? 'this server needs a password: send PASS PASSWORD before NICK and USER' : 'this server needs a password: send /pass PASSWORD as your first message';
}

/**
 * The one place a server password (`--password`) is asked, for every transport: a session that
 * has not given it is in no room, has no nickname and is not announced, and the only intents it
 * may run are `pass` and `quit`. Anything else, or a wrong password, is one error and the close.
 * Each transport only turns its own way of saying the password (`/pass`, IRC PASS, the page's
 * `pass` event) into the same `pass` intent.
 */
export class PasswordGate {
  constructor(
    private readonly password: ServerPassword,
    private readonly host: PasswordGateHost,
    private readonly log: Logger,
  ) {}

  /** Closes the sessions that have waited PASSWORD_WAIT_MS without giving the password. */
  sweep(sessions: Iterable<Session>, now: number): void {
    for (const session of sessions) {
      if (!session.authenticated && now - session.joinedAt >= PASSWORD_WAIT_MS) {
        this.host.disconnect(session, 'SB_ERR_PASSWORD_REQUIRED', `no password within ${PASSWORD_WAIT_MS / 1000} s`);
      }
    }
  }

  /** An intent other than `quit` from a session that has not given the password yet. */
  screen(session: Session, intent: Intent): void {
    if (intent.type !== 'pass' || intent.secret === null) {
      this.host.disconnect(session, 'SB_ERR_PASSWORD_REQUIRED', 'this server needs a password: the first message must be /pass PASSWORD');
      return;
    }
    const ip = ipOfAddress(session.address);
    const verdict = this.password.check(ip, intent.secret, this.host.clock());
    switch (verdict.outcome) {
      case 'ok':
        session.authenticated = true;
        this.log.info({ member: session.id, from: session.address, transport: session.transport }, 'password accepted');
        this.host.admit(session);
        return;
      case 'wrong':
        this.host.disconnect(session, 'SB_ERR_BAD_PASSWORD', 'wrong password');
        return;
      case 'locked':
        this.host.disconnect(session, 'SB_ERR_PASSWORD_LOCKOUT', `too many wrong passwords from ${ip}; try again in ${Math.ceil(verdict.retryMs / 1000)} s`);
        return;
    }
  }
}
