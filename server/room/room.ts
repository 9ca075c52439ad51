import type { Logger } from 'pino';
import type { MemberInfo, NoticeKind } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { nickKey, nickProblem } from '../../shared/nick.js';
import { isBlank, sanitizeText } from '../../shared/text.js';
import { type Clock, systemClock } from './clock.js';
import { runCommand } from './commands.js';
import { TrafficStats } from '../stats.js';
import { Member, type MemberConnection } from './member.js';
import type { HistoryStore } from '../history/history-store.js';
import { OutgoingMessage } from './outgoing-message.js';
import { type ResumePoint, RoomHistory } from './room-history.js';
import { DEFAULT_ROOM_LIMITS, type RoomLimits } from './room-limits.js';
import { TokenBucket } from './token-bucket.js';

/** Characters of a message's text kept in the `received` log line. */
const LOGGED_TEXT_MAX = 200;

export interface RoomOptions {
  logger: Logger;
  clock?: Clock;
  /** Shown in the welcome notice. */
  name?: string;
  /** Counters shared with the adapters and read by /metrics. */
  stats?: TrafficStats;
  limits?: Partial<RoomLimits>;
  /** Where chat lines and actions are kept; without one nothing outlives the process. */
  history?: HistoryStore;
  /** Stored messages replayed to each joining member (`--history`); default 50. */
  joinHistory?: number;
}

/**
 * The one chat room. It knows members, nicknames and what to send to whom, and nothing of
 * sockets: every transport adapter joins its connections here through MemberConnection.
 * Messages go to every other member in the order they are received (the seed's rule: no echo
 * to the sender); replies to a member's own commands go to that member only.
 *
 * It is also the one place for per-member policy, the same for every transport: the flood limit
 * (token bucket) on what comes in, the slow-consumer cap on what is queued to go out, and the
 * idle timeout.
 */
export class Room {
  readonly stats: TrafficStats;
  readonly limits: RoomLimits;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly name: string;
  private readonly present = new Set<Member>();
  private readonly byNick = new Map<string, Member>();
  private readonly history: RoomHistory;
  private nextId = 1;
  private shuttingDown = false;

  constructor(options: RoomOptions) {
    this.log = options.logger;
    this.clock = options.clock ?? systemClock;
    this.name = options.name ?? 'switchboard';
    this.stats = options.stats ?? new TrafficStats();
    this.limits = { ...DEFAULT_ROOM_LIMITS, ...options.limits };
    this.history = new RoomHistory(options.history ?? null, options.joinHistory ?? 50);
  }

  /** True once closeAll() ran: adapters turn new connections away. */
  get closing(): boolean {
    return this.shuttingDown;
  }

  get size(): number {
    return this.present.size;
  }

  /** Members in join order. */
  list(): MemberInfo[] {
    const out: MemberInfo[] = [];
    for (const member of this.present) out.push(member.info());
    return out;
  }

  countByTransport(): Record<MemberInfo['transport'], number> {
    const counts = { tcp: 0, line: 0, ws: 0 };
    for (const member of this.present) counts[member.transport] += 1;
    return counts;
  }

  /**
   * A new connection: welcome, then the stored messages it should see (the newest `--history`,
   * or, for a page that says where it left off, everything after that), then the others are told.
   * All in one turn, so no live message can fall between the replay and the first delivery.
   */
  join(connection: MemberConnection, resume?: ResumePoint): Member {
    const now = this.clock();
    const { rateLimit, rateBurst } = this.limits;
    const bucket = rateLimit > 0 ? new TokenBucket(rateLimit, Math.max(1, rateBurst), now) : null;
    const member = new Member(this.nextId++, connection, now, bucket);
    this.present.add(member);
    this.log.info({ member: member.id, from: member.address, transport: member.transport }, 'member joined');
    connection.welcome?.(member.info(), this.list());
    const others = this.present.size - 1;
    this.noticeTo(
      member,
      `welcome to ${this.name}, you are ${member.name}; ${others === 1 ? '1 other member' : `${others} other members`} here; /help for commands`,
    );
    this.replayTo(member, resume);
    this.broadcast(this.notice('join', `${member.name} joined (${member.transport})`, member.info()), member);
    return member;
  }

  /** Idempotent: a connection may report its end more than once (error then close). */
  leave(member: Member, reason?: string): void {
    if (!member.present) return;
    member.present = false;
    this.present.delete(member);
    if (member.nick !== null) this.byNick.delete(nickKey(member.nick));
    this.log.info({ member: member.id, from: member.address, name: member.name, reason }, 'member left');
    const why = reason === undefined ? '' : ` (${reason})`;
    this.broadcast(this.notice('leave', `${member.name} left${why}`, member.info()));
  }

  /** Any input from the member's connection, even a keepalive: it is not idle. */
  touch(member: Member): void {
    member.active = true;
  }

  /** Text from a member, as decoded by its transport: a command or a chat line. */
  receive(member: Member, raw: string): void {
    if (!member.present) return;
    member.active = true;
    if (member.bucket !== null && !this.admitByRate(member)) return;
    const text = sanitizeText(raw);
    if (isBlank(text)) return;
    this.stats.messagesIn[member.transport] += 1;
    if (this.log.isLevelEnabled('info')) {
      // The seed printed every message with its sender; long texts are cut so logs stay readable.
      const logged = text.length > LOGGED_TEXT_MAX ? `${text.slice(0, LOGGED_TEXT_MAX)}…` : text;
      this.log.info({ from: member.address, name: member.name, transport: member.transport, text: logged, length: text.length }, 'received');
    }
    if (runCommand(this, member, text)) return;
    this.say(member, 'chat', text);
  }

  /**
   * A chat line or action from a member, to every other member. It is stored first: the store
   * commits the turn's batch before any of the turn's output reaches a socket.
   */
  say(member: Member, kind: 'chat' | 'action', text: string): void {
    const message = new OutgoingMessage({ kind, id: this.history.nextId(), time: this.clock(), text, from: member.info() });
    this.history.record(message);
    this.broadcast(message, member);
    member.connection.acknowledge?.(message);
  }

  setNick(member: Member, wanted: string): void {
    const problem = nickProblem(wanted);
    if (problem !== null) {
      this.noticeTo(member, `nickname refused: ${problem}`, 'error', 'SB_ERR_NICK_INVALID');
      return;
    }
    const key = nickKey(wanted);
    const holder = this.byNick.get(key);
    if (holder !== undefined && holder !== member) {
      this.noticeTo(member, `nickname refused: ${wanted} is taken`, 'error', 'SB_ERR_NICK_TAKEN');
      return;
    }
    const previous = member.name;
    if (member.nick === wanted) {
      this.noticeTo(member, `you are already ${wanted}`);
      return;
    }
    if (member.nick !== null) this.byNick.delete(nickKey(member.nick));
    member.nick = wanted;
    this.byNick.set(key, member);
    this.log.info({ member: member.id, from: member.address, previous, nick: wanted }, 'nick changed');
    const change = this.notice('nick', `${previous} is now known as ${wanted}`, member.info(), previous);
    this.broadcast(change);
  }

  sendWho(member: Member): void {
    const names = [...this.present].map((m) => `${m.name} (${m.transport})`);
    this.noticeTo(member, `members (${names.length}): ${names.join(', ')}`);
  }

  /** A notice to one member only: replies to its commands, refusals, protocol errors. */
  noticeTo(member: Member, text: string, kind: NoticeKind = 'info', code?: ErrorCode): void {
    if (code !== undefined) this.stats.countError(code);
    this.deliver(member, this.notice(kind, text, undefined, undefined, code));
  }

  /** To every present member except `except`, the same OutgoingMessage (so the same buffers). */
  broadcast(message: OutgoingMessage, except?: Member): void {
    for (const member of this.present) {
      if (member !== except) this.deliver(member, message);
    }
  }

  /**
   * Closes a member's connection for a policy reason: one error notice to it (written past the
   * slow-consumer check, since it may be the slow one), a leave announced to the others.
   */
  disconnect(member: Member, code: ErrorCode, text: string): void {
    if (!member.present) return;
    this.stats.countError(code);
    this.log.warn({ member: member.id, from: member.address, name: member.name, code }, `disconnecting: ${text}`);
    member.connection.deliver(this.notice('error', `error: ${text}; closing connection`, undefined, undefined, code));
    this.leave(member, code);
    member.connection.close(code);
  }

  /**
   * Graceful shutdown: every member gets the notice and its connection is closed. No leave is
   * announced: everyone is leaving, and N² notices would only slow the exit.
   */
  closeAll(text: string): void {
    this.shuttingDown = true;
    const notice = this.notice('info', text, undefined, undefined, 'SB_ERR_SHUTTING_DOWN');
    const members = [...this.present];
    this.present.clear();
    this.byNick.clear();
    for (const member of members) {
      member.present = false;
      member.connection.deliver(notice);
      member.connection.close('SB_ERR_SHUTTING_DOWN');
    }
    this.log.info({ members: members.length }, 'closed every connection');
  }

  /** Closes connections that sent nothing for the idle timeout; run about once a second. */
  sweepIdle(now: number = this.clock()): void {
    const limit = this.limits.idleTimeoutMs;
    if (limit <= 0) return;
    for (const member of this.present) {
      if (member.active) {
        member.active = false;
        member.lastActive = now;
      } else if (now - member.lastActive >= limit) {
        this.disconnect(member, 'SB_ERR_IDLE_TIMEOUT', `idle for ${limit / 1000} s`);
      }
    }
  }

  /**
   * History for a member that just joined. It bypasses the slow-consumer check (the member has
   * not had a chance to read yet); it does count toward the queue that later deliveries check.
   */
  private replayTo(member: Member, resume: ResumePoint | undefined): void {
    const replay = this.history.replayFor(resume);
    this.stats.messagesOut[member.transport] += replay.messages.length;
    const connection = member.connection;
    if (connection.history !== undefined) {
      connection.history(replay);
      return;
    }
    for (const message of replay.messages) connection.deliver(message);
  }

  /**
   * Flood limit: a message over the rate is refused. Only the first refusal of a run gets a
   * notice (the notice must not become a flood of its own); a long run closes the connection.
   */
  private admitByRate(member: Member): boolean {
    if (member.bucket!.take(this.clock())) {
      member.refusedInARow = 0;
      return true;
    }
    member.refusedInARow += 1;
    this.stats.countError('SB_ERR_RATE_LIMITED');
    if (member.refusedInARow >= this.limits.floodDisconnectAfter) {
      this.disconnect(member, 'SB_ERR_RATE_LIMITED', `flooding: ${member.refusedInARow} messages over the limit in a row`);
    } else if (member.refusedInARow === 1) {
      const { rateLimit, rateBurst } = this.limits;
      this.deliver(
        member,
        this.notice('error', `slow down: over ${rateLimit} messages/s (burst ${rateBurst}); message dropped`, undefined, undefined, 'SB_ERR_RATE_LIMITED'),
      );
    }
    return false;
  }

  /**
   * The one write path for room traffic, and so the one slow-consumer check: a member whose
   * queued output passes the cap is dropped instead of growing server memory without bound.
   */
  private deliver(member: Member, message: OutgoingMessage): void {
    if (message.kind === 'notice') this.stats.noticesOut[member.transport] += 1;
    else this.stats.messagesOut[member.transport] += 1;
    const connection = member.connection;
    connection.deliver(message);
    if (connection.pendingBytes > this.limits.maxPendingBytes) {
      this.disconnect(member, 'SB_ERR_SLOW_CONSUMER', `too slow: over ${this.limits.maxPendingBytes} bytes waiting to be sent`);
    }
  }

  private notice(
    kind: NoticeKind,
    text: string,
    member?: MemberInfo,
    previous?: string,
    code?: ErrorCode,
  ): OutgoingMessage {
    return new OutgoingMessage({ kind: 'notice', notice: kind, time: this.clock(), text, member, previous, code });
  }
}
