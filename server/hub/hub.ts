import type { Logger } from 'pino';
import { type NoticeKind, type Transport, perTransport } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { DEFAULT_ROOM } from '../../shared/room-name.js';
import { isBlank, sanitizeText } from '../../shared/text.js';
import type { Channel, ChannelHost } from '../channel/channel.js';
import type { ResumePoint } from '../channel/channel-history.js';
import type { AdminList } from '../auth/admin-source.js';
import type { Accounts } from '../auth/accounts.js';
import type { ServerPassword } from '../auth/server-password.js';
import type { HistoryStore } from '../history/history-store.js';
import { type Clock, systemClock } from '../message/clock.js';
import { OutgoingMessage, type RoomRef } from '../message/outgoing-message.js';
import { TrafficStats } from '../stats.js';
import type { ClusterLink } from './cluster-link.js';
import { ClusterEvents } from './cluster-events.js';
import type { HubCore } from './hub-core.js';
import { DEFAULT_HUB_LIMITS, type HubLimits, announcedLimits } from './hub-limits.js';
import { type InputHandler, InputFlow } from './input-flow.js';
import { type BotPostOutcome, postAsBot } from './bot-post.js';
import type { AccountOutcome } from './account-runner.js';
import { IntentRunner } from './intent-runner.js';
import type { Intent } from './intents.js';
import { NickRegistry, type NickRefusal } from './nick-registry.js';
import { PasswordGate, passwordPrompt } from './password-gate.js';
import { RoomRegistry } from './room-registry.js';
import { Session, type SessionConnection, type SessionInput } from './session.js';
import { parseLine } from './slash-commands.js';

/** Told of every chat line and action said in a room of this instance (the bot API's followers, webhooks). */
/** `local`: the message's sender is on this instance (with `--redis`, others' messages come through the shared room). */
export type SaidListener = (channel: Channel, message: OutgoingMessage, local: boolean) => void;

/** Characters of a message's text kept in the `received` log line. */
const LOGGED_TEXT_MAX = 200;

export interface HubOptions {
  logger: Logger;
  clock?: Clock;
  /** Shown in the welcome notice. */
  name?: string;
  /** Counters shared with the adapters and read by /metrics. */
  stats?: TrafficStats;
  limits?: Partial<HubLimits>;
  /** Where chat lines and actions are kept; without one nothing outlives the process. */
  history?: HistoryStore | null;
  /** Stored messages replayed to a member joining a room (`--history`); default 50. */
  joinHistory?: number;
  /** Member ids start after this; instances sharing rooms (`--redis`) get disjoint ranges. */
  memberIdBase?: number;
  /** The room every framed, line and page member is put in on connecting (`--default-room`). */
  defaultRoom?: string;
  /** The server password (`--password`): every connection gives it first; none = open. */
  password?: ServerPassword | null;
  /** Server operators (`--admin NAME=SECRET`), as `NAME` LF `SECRET` (see auth/admin-source.ts); none: no /oper. */
  admins?: AdminList | null;
  /** Accounts (`--accounts`): `/register`, `/login`, IRC SASL, and registered nicknames kept for their owners. */
  accounts?: Accounts | null;
}

/** How a connection enters the hub. */
export interface ConnectOptions {
  /** A page saying where it left off in the default room. */
  resume?: ResumePoint;
  /**
   * False for a transport whose clients join rooms themselves (IRC clients send JOIN after
   * registering): the session starts in no room, and the transport sends its own welcome.
   */
  enterDefaultRoom?: boolean;
}

/**
 * The process-wide part of chat: sessions (one per connection), nicknames, rooms, direct
 * messages, and the intents every front end produces (slash commands, page events, IRC verbs). It
 * knows no transport: every adapter hands it a SessionConnection, and every byte out goes through
 * that connection's output queue. It is also where the input side of the per-member policy lives
 * (the flood limit, the idle timeout), the same for every transport.
 */
export class Hub implements ChannelHost, HubCore {
  readonly stats: TrafficStats;
  readonly limits: HubLimits;
  readonly clock: Clock;
  readonly rooms: RoomRegistry;
  readonly name: string;
  readonly sessions = new Map<number, Session>();
  readonly nicks: NickRegistry;
  /** What the other instances tell this one (`--redis`): the link is attached to this. */
  readonly cluster: ClusterEvents;
  private readonly log: Logger;
  private readonly intents: IntentRunner;
  private readonly gate: PasswordGate | null;
  /** The server password (`--password`), also asked by `GET /history`; null: none. */
  readonly password: ServerPassword | null;
  readonly admins: AdminList | null;
  readonly accounts: Accounts | null;
  private clusterLink: ClusterLink | null = null;
  private nextSessionId: number;
  private lastMessageId: number;
  private shuttingDown = false;
  private readonly saidListeners = new Set<SaidListener>();

  constructor(options: HubOptions) {
    this.log = options.logger;
    this.clock = options.clock ?? systemClock;
    this.name = options.name ?? 'switchboard';
    this.stats = options.stats ?? new TrafficStats();
    this.limits = { ...DEFAULT_HUB_LIMITS, ...options.limits };
    this.nextSessionId = (options.memberIdBase ?? 0) + 1;
    this.lastMessageId = options.history?.lastId ?? 0;
    this.nicks = new NickRegistry(this.nickOutcome);
    this.intents = new IntentRunner(this);
    this.cluster = new ClusterEvents(this, this.intents.moderation);
    this.password = options.password ?? null;
    this.admins = options.admins ?? null;
    this.accounts = options.accounts ?? null;
    this.gate = this.password === null ? null : new PasswordGate(this.password, this, this.log);
    this.rooms = new RoomRegistry({
      host: this,
      store: options.history ?? null,
      joinHistory: options.joinHistory ?? 50,
      presenceDelayMs: this.limits.presenceDelayMs,
      maxRooms: this.limits.maxRooms,
      emptyRoomTtlMs: this.limits.emptyRoomTtlMs,
      defaultRoom: options.defaultRoom ?? DEFAULT_ROOM,
    });
  }

  /** Shares rooms, nicknames and direct messages with other instances (`--redis`). */
  attachLink(link: ClusterLink): void {
    this.clusterLink = link;
  }

  get link(): ClusterLink | null {
    return this.clusterLink;
  }

  nextMessageId(): number {
    this.lastMessageId += 1;
    return this.lastMessageId;
  }

  /** A server password is asked (`--password`): the idle sweep must run even without `--idle-timeout`. */
  get passwordRequired(): boolean {
    return this.gate !== null;
  }

  /** True once closeAll() ran: adapters turn new connections away. */
  get closing(): boolean {
    return this.shuttingDown;
  }

  /** This instance's sessions. */
  get size(): number {
    return this.sessions.size;
  }

  session(id: number): Session | undefined {
    return this.sessions.get(id);
  }

  countByTransport(): Record<Transport, number> {
    const counts = perTransport();
    for (const session of this.sessions.values()) counts[session.transport] += 1;
    return counts;
  }

  /**
   * A new connection: welcome, then the default room (a page saying where it left off there gets
   * what it missed, everyone else its newest `--history`), all in one turn, so no live message
   * can fall between the replay and the first delivery. With `enterDefaultRoom: false` the
   * session is in no room until it joins one.
   */
  connect(connection: SessionConnection, options: ConnectOptions = {}): Session {
    const now = this.clock();
    const session = new Session(this.nextSessionId++, connection, now);
    this.sessions.set(session.id, session);
    this.log.info({ member: session.id, from: session.address, transport: session.transport }, 'member joined');
    const gated = this.gate !== null;
    connection.welcome?.(session.info(), announcedLimits(this.limits), this.rooms.defaultRoom.name, gated);
    session.admission = { enterDefaultRoom: options.enterDefaultRoom !== false, resume: options.resume };
    if (!gated) {
      this.admit(session);
      return session;
    }
    // Asked once, before anything of the chat: the page knows from its welcome, text clients are told.
    session.authenticated = false;
    if (connection.welcome === undefined) this.deliver(session, this.notice('info', passwordPrompt(session.transport), 'SB_ERR_PASSWORD_REQUIRED'));
    return session;
  }

  /** A session that may chat (it gave the password, or none is needed): announced, and put in the default room. */
  admit(session: Session): void {
    const admission = session.admission;
    session.admission = null;
    this.link?.connected(session.info(), null);
    if (admission?.enterDefaultRoom === false) return;
    // A ban of the default room (an address mask, say) keeps the member out of it on connecting too.
    if (this.intents.moderation.refusesJoin(session, this.rooms.defaultRoom)) return;
    this.intents.enter(session, this.rooms.defaultRoom, admission?.resume, true);
  }

  /** The connection ended; idempotent (an error then a close both report it). */
  leave(session: Session, reason?: string): void {
    if (!session.present) return;
    session.present = false;
    session.flow?.close();
    this.sessions.delete(session.id);
    for (const channel of session.rooms.values()) channel.leave(session, reason);
    const key = this.nicks.release(session);
    this.log.info({ member: session.id, from: session.address, name: session.name, reason }, 'member left');
    // One that never gave the password was never announced.
    if (session.authenticated) this.link?.disconnected(session.info(), key, reason);
  }

  logOperator(session: Session, name: string): void {
    this.log.warn({ member: session.id, from: session.address, name: session.name, admin: name }, 'server operator');
  }

  logAccount(session: Session, event: 'registered' | 'logged in' | 'login failed' | 'failed', account: string, error?: unknown): void {
    const fields = { member: session.id, from: session.address, transport: session.transport, account };
    if (event === 'failed') this.log.error({ ...fields, err: error }, 'account store failed');
    else if (event === 'login failed') this.log.warn(fields, 'login failed');
    else this.log.info(fields, `account ${event}`);
  }

  /** Logs in (IRC SASL): the same as `/login`, its outcome for the transport to say its own way. */
  login(session: Session, name: string, password: string): Promise<AccountOutcome> {
    return this.intents.accounts.login(session, name, password);
  }

  /** Any input from the member's connection, even a keepalive: it is not idle. */
  touch(session: Session): void {
    session.active = true;
  }

  /** Anything from a member's connection: it goes through the flood limit, then is handled. */
  input(session: Session, item: SessionInput): void {
    if (!session.present) return;
    session.active = true;
    session.flow ??= new InputFlow(session, this.limits, this.clock, this.inputHandler);
    session.flow.push(item);
  }

  /** Runs an intent for a member, past the flood limit (for front ends that are not input: tests). */
  execute(session: Session, intent: Intent): void {
    if (!session.authenticated && this.gate !== null && intent.type !== 'quit') this.gate.screen(session, intent);
    else this.intents.execute(session, intent);
  }

  /**
   * Closes a member's connection for a policy reason: one error notice to it (past its queue
   * when it is the slow one), its leaves announced to the others.
   */
  disconnect(session: Session, code: ErrorCode, text: string): void {
    if (!session.present) return;
    this.stats.countError(code);
    this.log.warn({ member: session.id, from: session.address, name: session.name, code }, `disconnecting: ${text}`);
    const farewell = this.notice('error', `error: ${text}; closing connection`, code);
    this.leave(session, code);
    session.connection.close(code, farewell);
  }

  /**
   * Graceful shutdown: every member gets the notice and its connection is closed. No leave is
   * announced: everyone is leaving, and N² notices would only slow the exit.
   */
  closeAll(text: string): void {
    this.shuttingDown = true;
    this.rooms.stop();
    const notice = this.notice('info', text, 'SB_ERR_SHUTTING_DOWN');
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    this.nicks.clear();
    for (const session of sessions) {
      session.present = false;
      session.flow?.close();
      session.connection.close('SB_ERR_SHUTTING_DOWN', notice);
    }
    this.log.info({ members: sessions.length }, 'closed every connection');
  }

  /**
   * Closes connections that sent nothing for the idle timeout, and those that did not give the
   * server password in time; run about once a second.
   */
  sweepIdle(now: number = this.clock()): void {
    this.gate?.sweep(this.sessions.values(), now);
    const limit = this.limits.idleTimeoutMs;
    if (limit <= 0) return;
    for (const session of this.sessions.values()) {
      if (session.active) {
        session.active = false;
        session.lastActive = now;
      } else if (now - session.lastActive >= limit) {
        this.disconnect(session, 'SB_ERR_IDLE_TIMEOUT', `idle for ${limit / 1000} s`);
      }
    }
  }

  /** The one write path: counted here, policed by the connection's output queue. */
  deliver(session: Session, message: OutgoingMessage): void {
    if (message.kind === 'notice') this.stats.noticesOut[session.transport] += 1;
    else this.stats.messagesOut[session.transport] += 1;
    session.connection.deliver(message);
  }

  /** A chat line from a bot of the HTTP API, down the same path as a member's (see bot-post.ts). */
  postAsBot(room: string, botName: string, text: string): BotPostOutcome {
    return postAsBot(this, room, botName, text);
  }

  /** Calls `listener` with every chat line and action said in any room here; returns how to stop. */
  onSaid(listener: SaidListener): () => void {
    this.saidListeners.add(listener);
    return () => this.saidListeners.delete(listener);
  }

  /** ChannelHost: a room said something. A listener that throws must not stop the others or the chat. */
  said(channel: Channel, message: OutgoingMessage, local: boolean): void {
    for (const listener of this.saidListeners) {
      try {
        listener(channel, message, local);
      } catch (error) {
        this.log.error({ err: error, room: channel.name }, 'a message listener failed');
      }
    }
  }

  /** A notice to one member only: replies to its commands, refusals, protocol errors. */
  noticeTo(session: Session, text: string, kind: NoticeKind = 'info', code?: ErrorCode, room?: RoomRef): void {
    if (code !== undefined) this.stats.countError(code);
    this.deliver(session, this.notice(kind, text, code, room));
  }

  // Intents.

  /** Text from a member, as decoded by its transport: a command or a chat line. */
  private receive(session: Session, raw: string, room: string | undefined): void {
    const text = sanitizeText(raw);
    if (isBlank(text)) return;
    this.stats.messagesIn[session.transport] += 1;
    const intent = parseLine(text, room ?? null);
    if (intent.type === 'pass' || intent.type === 'oper' || intent.type === 'register' || intent.type === 'login' || (intent.type === 'msg' && intent.to.toLowerCase() === 'nickserv')) {
      // Never a password or an operator's secret in the log.
      this.log.info({ from: session.address, transport: session.transport }, `received /${intent.type}`);
    } else if (this.log.isLevelEnabled('info')) {
      // The seed printed every message with its sender; long texts are cut so logs stay readable.
      const logged = text.length > LOGGED_TEXT_MAX ? `${text.slice(0, LOGGED_TEXT_MAX)}…` : text;
      this.log.info({ from: session.address, name: session.name, transport: session.transport, room, text: logged, length: text.length }, 'received');
    }
    this.execute(session, intent);
  }

  announceRename(session: Session, previous: string): void {
    const notice = new OutgoingMessage({ kind: 'notice', notice: 'nick', time: this.clock(), text: `${previous} is now known as ${session.name}`, member: session.info(), previous });
    const recipients = new Set<Session>([session]);
    for (const channel of session.rooms.values()) for (const member of channel.members) recipients.add(member);
    for (const recipient of recipients) this.deliver(recipient, notice);
  }

  notice(kind: NoticeKind, text: string, code?: ErrorCode, room?: RoomRef): OutgoingMessage {
    return new OutgoingMessage({ kind: 'notice', notice: kind, room: room ?? null, time: this.clock(), text, code });
  }

  private readonly nickOutcome = {
    beforeRename: (session: Session): void => {
      for (const channel of session.rooms.values()) channel.flushPresence();
    },
    reserved: (session: Session, wanted: string, key: string) => this.intents.accounts.reserved(session, wanted, key),
    refused: (session: Session, text: string, code: NickRefusal | null): void => {
      this.noticeTo(session, text, code === null ? 'info' : 'error', code ?? undefined);
    },
    renamed: (session: Session, previous: string, key: string, previousKey: string | null): void => {
      this.log.info({ member: session.id, from: session.address, previous, nick: session.nick }, 'nick changed');
      this.announceRename(session, previous);
      this.link?.renamed(session.info(), previous, key, previousKey);
    },
  };

  /** The flood limit's callbacks, for every session's InputFlow. */
  private readonly inputHandler: InputHandler<Session, SessionInput> = {
    process: (session, item) => {
      if (!session.present) return;
      switch (item.kind) {
        case 'text':
          this.receive(session, item.text, item.room);
          return;
        case 'intent':
          this.stats.messagesIn[session.transport] += 1;
          this.execute(session, item.intent);
          return;
        case 'refused':
          this.stats.countError(item.code);
          session.connection.refused?.(item.code, item.message);
          return;
        case 'request':
          this.stats.messagesIn[session.transport] += 1;
          item.run();
          return;
      }
    },
    pauseInput: (session) => {
      session.connection.pauseInput();
    },
    resumeInput: (session) => {
      session.connection.resumeInput();
    },
    slowedDown: (session) => {
      const { rateLimit, rateLimitBytes } = this.limits;
      this.stats.countError('SB_ERR_RATE_LIMITED');
      const rates = [rateLimit > 0 ? `${rateLimit} messages/s` : '', rateLimitBytes > 0 ? `${rateLimitBytes} bytes/s` : ''].filter((part) => part !== '');
      this.deliver(session, this.notice('error', `slow down: over ${rates.join(' or ')}; your input is held back and will follow in order`, 'SB_ERR_RATE_LIMITED'));
    },
    flooding: (session, why) => {
      this.disconnect(session, 'SB_ERR_RATE_LIMITED', why);
    },
  };
}

