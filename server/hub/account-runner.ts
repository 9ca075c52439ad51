import type { ErrorCode } from '../../shared/errors.js';
import { nickKey, nickProblem, prepareNick } from '../../shared/nick.js';
import { accountPasswordProblem } from '../auth/accounts.js';
import { ipOfAddress } from '../auth/server-password.js';
import type { AccountRecord } from '../history/account-table.js';
import type { HubCore } from './hub-core.js';
import type { Intent } from './intents.js';
import type { NickRefusal } from './nick-registry.js';
import type { Session } from './session.js';

/** What `/register`, `/login` or an IRC SASL exchange came to: the account's name, or why not. */
export type AccountOutcome = { ok: true; name: string } | { ok: false; code: ErrorCode; text: string };

type AccountIntent = Extract<Intent, { type: 'register' | 'login' }>;

/** The name IRC users send `REGISTER` and `IDENTIFY` to (transports/irc/irc-nickserv.ts): no member may take it, nor register it. */
export const NICKSERV = 'NickServ';
const NICKSERV_KEY = nickKey(NICKSERV);

function failed(code: ErrorCode, text: string): AccountOutcome {
  return { ok: false, code, text };
}

/**
 * Accounts as members meet them (`--accounts`): `/register` and `/login` (IRC SASL calls
 * `login` too), the nickname rules they bring, and what a logged-in identity is owed.
 *
 * - A registered name is its owner's: a nickname whose key is an account's is refused to anyone
 *   not logged in as it (`SB_ERR_NICK_REGISTERED`), and a logged-in member keeps the account's
 *   name (`SB_ERR_NICK_LOCKED` for another; its case may change).
 * - Logging in takes the account's nickname. A connection already holding it is the same
 *   account's (no one else can hold it): it is closed (`SB_ERR_LOGGED_IN_ELSEWHERE`), so a
 *   dead connection never locks its owner out.
 * - Operator status filed under a registered name is only its logged-in owner's (`ownsName`),
 *   and logging in as an `--admin` name makes a server operator without `/oper`.
 */
export class AccountRunner {
  constructor(private readonly core: HubCore) {}

  /** NickRegistry's check: the refusal for a name the member may not take, or null. */
  reserved(session: Session, wanted: string, key: string): { text: string; code: NickRefusal } | null {
    const accounts = this.core.accounts;
    if (accounts === null) return null;
    if (key === NICKSERV_KEY) return { text: `nickname refused: ${wanted} is the server's (/msg ${NICKSERV} on IRC)`, code: 'SB_ERR_NICK_REGISTERED' };
    if (session.account !== null) {
      if (key === session.account) return null;
      return { text: `nickname refused: you are logged in as ${session.name}, and your nickname is the account's`, code: 'SB_ERR_NICK_LOCKED' };
    }
    if (!accounts.isRegistered(key)) return null;
    return { text: `nickname refused: ${wanted} is a registered account; /login ${wanted} PASSWORD to use it`, code: 'SB_ERR_NICK_REGISTERED' };
  }

  /** Whether what is filed under the member's nickname (operator status) is its own: not a registered name it is not logged in as. */
  ownsName(session: Session): boolean {
    const accounts = this.core.accounts;
    if (accounts === null || session.nick === null) return true;
    const key = nickKey(session.nick);
    return session.account === key || !accounts.isRegistered(key);
  }

  /**
   * A slash command's `/register` or `/login`: the member's input waits for the hash (what it
   * typed next runs after, under the new name), and the outcome is one notice.
   */
  execute(session: Session, intent: AccountIntent): void {
    const flow = session.flow;
    flow?.suspend();
    const work = intent.type === 'register' ? this.register(session, intent.name, intent.password) : this.login(session, intent.name, intent.password);
    work
      .catch((error: unknown) => {
        this.core.logAccount(session, 'failed', intent.name, error);
        return failed('SB_ERR_INTERNAL', 'the account could not be read or written; try again later');
      })
      .then((outcome) => {
        if (!session.present) return;
        if (outcome.ok) this.core.noticeTo(session, intent.type === 'register' ? `registered ${outcome.name}: you are logged in, and ${outcome.name} is yours alone` : `you are logged in as ${outcome.name}`);
        else this.core.noticeTo(session, outcome.text, 'error', outcome.code);
      })
      .finally(() => flow?.resume())
      .catch(() => undefined);
  }

  /** Logs the member in (it takes the account's nickname); on failure it is told nothing yet. */
  async login(session: Session, name: string, password: string): Promise<AccountOutcome> {
    const accounts = this.core.accounts;
    if (accounts === null) return failed('SB_ERR_NO_ACCOUNTS', 'this server has no accounts (--accounts)');
    if (session.account !== null) return failed('SB_ERR_ALREADY_LOGGED_IN', `you are logged in as ${session.name} already`);
    const key = nickKey(prepareNick(name));
    const ip = ipOfAddress(session.address);
    const verdict = await accounts.login(key, password, ip, this.core.clock);
    switch (verdict.outcome) {
      case 'locked':
        return failed('SB_ERR_PASSWORD_LOCKOUT', `too many failed logins from ${ip}; try again in ${Math.ceil(verdict.retryMs / 1000)} s`);
      case 'busy':
        return failed('SB_ERR_ACCOUNTS_BUSY', 'the server is busy checking passwords; try again in a moment');
      case 'wrong':
        this.core.logAccount(session, 'login failed', name);
        return failed('SB_ERR_LOGIN_FAILED', 'login failed: no account has that name and password');
      case 'ok':
        break;
    }
    if (!session.present) return failed('SB_ERR_LOGIN_FAILED', 'gone');
    if (session.account !== null) return failed('SB_ERR_ALREADY_LOGGED_IN', `you are logged in as ${session.name} already`);
    this.enter(session, verdict.record, 'logged in');
    return { ok: true, name: verdict.record.name };
  }

  /** Makes an account of `name` (free, or the member's own nickname) and logs the member in. */
  async register(session: Session, name: string, password: string): Promise<AccountOutcome> {
    const accounts = this.core.accounts;
    if (accounts === null) return failed('SB_ERR_NO_ACCOUNTS', 'this server has no accounts (--accounts)');
    if (session.account !== null) return failed('SB_ERR_ALREADY_LOGGED_IN', `you are logged in as ${session.name} already`);
    const wanted = prepareNick(name);
    const problem = nickProblem(wanted);
    if (problem !== null) return failed('SB_ERR_NICK_INVALID', `cannot register ${wanted}: ${problem}`);
    const passwordProblem = accountPasswordProblem(password);
    if (passwordProblem !== null) return failed('SB_ERR_ACCOUNT_PASSWORD', `cannot register ${wanted}: ${passwordProblem}`);
    const key = nickKey(wanted);
    if (key === NICKSERV_KEY || accounts.isRegistered(key)) return failed('SB_ERR_ACCOUNT_EXISTS', `cannot register ${wanted}: it is an account already (or looks like one)`);
    if (this.heldByAnother(session, key)) return failed('SB_ERR_NICK_TAKEN', `cannot register ${wanted}: another member is using it (only the member using a name may register it)`);
    const verdict = await accounts.register(key, wanted, password, this.core.clock);
    if (verdict.outcome === 'exists') return failed('SB_ERR_ACCOUNT_EXISTS', `cannot register ${wanted}: it is an account already (or looks like one)`);
    if (verdict.outcome === 'busy') return failed('SB_ERR_ACCOUNTS_BUSY', 'the server is busy checking passwords; try again in a moment');
    if (!session.present) return failed('SB_ERR_ACCOUNT_EXISTS', 'gone');
    this.enter(session, verdict.record, 'registered');
    return { ok: true, name: verdict.record.name };
  }

  private heldByAnother(session: Session, key: string): boolean {
    const holder = this.core.nicks.holder(key);
    if (holder !== undefined && holder !== session) return true;
    const remote = this.core.link?.remoteByNick(key);
    return remote !== undefined && remote.info.id !== session.id;
  }

  /** The member is the account's now: the name is freed for it, given to it, and an `--admin` name is a server operator. */
  private enter(session: Session, record: AccountRecord, how: 'registered' | 'logged in'): void {
    session.account = record.key;
    const holder = this.core.nicks.holder(record.key);
    if (holder !== undefined && holder !== session) {
      // The same account on an older connection; or, in the instant of a registration's hash, a guest who took the free name.
      if (holder.account === record.key) this.core.disconnect(holder, 'SB_ERR_LOGGED_IN_ELSEWHERE', `${record.name} logged in from another connection`);
      else this.core.disconnect(holder, 'SB_ERR_NICK_REGISTERED', `${record.name} was just registered by another member`);
    }
    if (session.nick !== record.name) this.core.nicks.request(session, record.name, this.core.link);
    this.core.logAccount(session, how, record.name);
    const admins = this.core.admins;
    if (admins !== null && !session.serverOperator && admins.names.some((admin) => nickKey(admin) === record.key)) {
      session.serverOperator = true;
      this.core.logOperator(session, record.name);
      this.core.noticeTo(session, `you are a server operator (${record.name}, --admin): you can moderate any room and /kill`);
    }
  }
}
