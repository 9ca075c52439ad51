import type { Logger } from 'pino';
import type { MemberInfo, NoticeKind } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { MEMBER_LIST_MAX } from '../../shared/limits.js';
import { nickKey, nickProblem } from '../../shared/nick.js';
import { isBlank, sanitizeText } from '../../shared/text.js';
import { type Clock, systemClock } from './clock.js';
import { runCommand } from './commands.js';
import { TrafficStats } from '../stats.js';
import { Member, type MemberConnection } from './member.js';
import type { HistoryStore } from '../history/history-store.js';
import { OutgoingMessage } from './outgoing-message.js';
import { PresenceAnnouncer } from './presence-announcer.js';
import { RemoteMembers } from './remote-members.js';
import type { NickClaim, RoomLink, SharedMessage } from './room-link.js';
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
  /** Member ids start after this; instances sharing a room (`--redis`) get disjoint ranges. */
  memberIdBase?: number;
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
  private readonly byId = new Map<number, Member>();
  /** Members of the other instances, when this room is shared (`--redis`); the link updates it. */
  readonly remote: RemoteMembers;
  private link: RoomLink | null = null;
  private readonly presence: PresenceAnnouncer<Member>;
  private nextId = 1;
  private shuttingDown = false;

  constructor(options: RoomOptions) {
    this.log = options.logger;
    this.clock = options.clock ?? systemClock;
    this.name = options.name ?? 'switchboard';
    this.stats = options.stats ?? new TrafficStats();
    this.limits = { ...DEFAULT_ROOM_LIMITS, ...options.limits };
    this.history = new RoomHistory(options.history ?? null, options.joinHistory ?? 50);
    this.nextId = (options.memberIdBase ?? 0) + 1;
    this.presence = new PresenceAnnouncer(this.limits.presenceDelayMs, this.clock, this.broadcastPresence, this.roomSize);
    this.remote = new RemoteMembers(this.presence, this.announceRemoteRename);
  }

  /**
   * Shares this room with other instances. From now on chat lines go out through the link and
   * come back through `sharedMessage`, and presence is room-wide.
   */
  attachLink(link: RoomLink): void {
    this.link = link;
  }

  /** True once closeAll() ran: adapters turn new connections away. */
  get closing(): boolean {
    return this.shuttingDown;
  }

  get size(): number {
    return this.present.size;
  }

  /** Members in join order, at most `limit`: this instance's, then the others' (`--redis`). */
  list(limit = Number.POSITIVE_INFINITY): MemberInfo[] {
    const out: MemberInfo[] = [];
    for (const member of this.present) {
      if (out.length >= limit) return out;
      out.push(member.info());
    }
    for (const { info } of this.remote.values()) {
      if (out.length >= limit) return out;
      out.push(info);
    }
    return out;
  }

  /** Members in the whole room (every instance). */
  get total(): number {
    return this.present.size + this.remote.size;
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
    this.byId.set(member.id, member);
    this.log.info({ member: member.id, from: member.address, transport: member.transport }, 'member joined');
    connection.welcome?.(member.info(), this.list(MEMBER_LIST_MAX), this.total);
    const others = this.present.size - 1 + this.remote.size;
    this.noticeTo(
      member,
      `welcome to ${this.name}, you are ${member.name}; ${others === 1 ? '1 other member' : `${others} other members`} here; /help for commands`,
    );
    this.replayTo(member, resume);
    this.presence.joined(member, () => member.info());
    this.link?.joined(member.info(), null);
    return member;
  }

  /** Idempotent: a connection may report its end more than once (error then close). */
  leave(member: Member, reason?: string): void {
    if (!member.present) return;
    member.present = false;
    this.present.delete(member);
    this.byId.delete(member.id);
    const key = member.nick === null ? null : nickKey(member.nick);
    if (key !== null) this.byNick.delete(key);
    this.log.info({ member: member.id, from: member.address, name: member.name, reason }, 'member left');
    this.presence.left(member.info(), reason);
    this.link?.left(member.info(), key, reason);
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
   * A chat line or action from a member, to every other member. Alone, it is stored first (the
   * store commits the turn's batch before any of the turn's output reaches a socket); in a shared
   * room it is published, and delivered when it comes back from Redis (`sharedMessage`).
   */
  say(member: Member, kind: 'chat' | 'action', text: string): void {
    const link = this.link;
    if (link !== null && link.up) {
      void link.publish({ kind, time: this.clock(), text, from: member.info() }).then((published) => {
        if (!published && member.present) this.sayHere(member, kind, text);
      });
      return;
    }
    this.sayHere(member, kind, text);
  }

  /**
   * A chat line said on this instance alone: the whole room without `--redis`; with it, while
   * the shared room is unreachable, when it gets id 0 (not stored, cannot be resumed from).
   */
  private sayHere(member: Member, kind: 'chat' | 'action', text: string): void {
    this.presence.flush();
    const shared = this.link !== null;
    const message = new OutgoingMessage({ kind, id: shared ? 0 : this.history.nextId(), time: this.clock(), text, from: member.info() });
    if (!shared) this.history.record(message);
    this.broadcast(message, member);
    member.connection.acknowledge?.(message);
  }

  /**
   * A chat line from the shared room (`--redis`), in the one order every instance sees. The
   * sender, if it is ours, gets no copy (the seed's rule) but its page gets the acknowledgement.
   */
  sharedMessage(shared: SharedMessage): void {
    this.presence.flush();
    const { id, kind, time, text, from } = shared;
    const message = new OutgoingMessage({ kind, id, time, text, from: { id: from.id, name: from.name } });
    this.history.record(message);
    const sender = shared.instance === this.link?.instance ? this.byId.get(from.id) : undefined;
    this.broadcast(message, sender);
    sender?.connection.acknowledge?.(message);
  }

  /**
   * The shared history was replaced (Redis lost its data): ids restart, so pages are told to
   * start over, as after a `:memory:` restart.
   */
  historyReplaced(epoch: string): void {
    for (const member of this.present) member.connection.history?.({ mode: 'recent', epoch, messages: [], more: false });
  }

  /**
   * `/nick`: refused if invalid or held by anyone in the room. With `--redis` the shared room is
   * asked too (names are unique across instances); while it is unreachable the local check alone
   * decides, and a clash found on reconnect is settled by `nickLost`.
   */
  setNick(member: Member, wanted: string): void {
    const problem = nickProblem(wanted);
    if (problem !== null) {
      this.noticeTo(member, `nickname refused: ${problem}`, 'error', 'SB_ERR_NICK_INVALID');
      return;
    }
    if (member.nick === wanted) {
      this.noticeTo(member, `you are already ${wanted}`);
      return;
    }
    const key = nickKey(wanted);
    if (this.nickTaken(member, key)) {
      this.refuseNick(member, wanted);
      return;
    }
    const link = this.link;
    if (link === null || !link.up) {
      this.applyNick(member, wanted, key);
      return;
    }
    void link.claimNick(key, member.info()).then((claim: NickClaim) => {
      const stillFree = member.present && !this.nickTaken(member, key);
      if (claim !== 'taken' && stillFree) this.applyNick(member, wanted, key);
      else {
        if (claim === 'granted') link.releaseNick(key, member.info());
        if (member.present) this.refuseNick(member, wanted);
      }
    });
  }

  /**
   * A local member's name turned out to be held elsewhere (claimed on another instance while the
   * shared room was unreachable): it goes back to its address, and is told why.
   */
  nickLost(memberId: number): void {
    const member = this.byId.get(memberId);
    if (member === undefined || member.nick === null) return;
    const lost = member.nick;
    this.byNick.delete(nickKey(lost));
    member.nick = null;
    this.noticeTo(member, `nickname ${lost} was taken on another instance while the room was split; you are ${member.name} again`, 'error', 'SB_ERR_NICK_TAKEN');
    this.presence.flush();
    this.broadcast(this.notice('nick', `${lost} is now known as ${member.name}`, member.info(), lost));
    this.link?.renamed(member.info(), lost, null, null);
  }

  /** This instance's members with the key of their nickname, for re-registering after a reconnect. */
  localMembers(): { info: MemberInfo; nickKey: string | null }[] {
    return [...this.present].map((member) => ({ info: member.info(), nickKey: member.nick === null ? null : nickKey(member.nick) }));
  }

  private nickTaken(member: Member, key: string): boolean {
    const holder = this.byNick.get(key);
    return (holder !== undefined && holder !== member) || this.remote.hasName(key);
  }

  private refuseNick(member: Member, wanted: string): void {
    this.noticeTo(member, `nickname refused: ${wanted} is taken`, 'error', 'SB_ERR_NICK_TAKEN');
  }

  private applyNick(member: Member, wanted: string, key: string): void {
    const previous = member.name;
    const previousKey = member.nick === null ? null : nickKey(member.nick);
    if (previousKey !== null) this.byNick.delete(previousKey);
    member.nick = wanted;
    this.byNick.set(key, member);
    this.log.info({ member: member.id, from: member.address, previous, nick: wanted }, 'nick changed');
    this.presence.flush();
    this.broadcast(this.notice('nick', `${previous} is now known as ${wanted}`, member.info(), previous));
    this.link?.renamed(member.info(), previous, key, previousKey);
  }

  sendWho(member: Member): void {
    const names = this.list(MEMBER_LIST_MAX).map((m) => `${m.name} (${m.transport})`);
    const more = this.total > names.length ? ` and ${this.total - names.length} more` : '';
    this.noticeTo(member, `members (${this.total}): ${names.join(', ')}${more}`);
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
    this.presence.stop();
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

  private readonly roomSize = (): number => this.total;

  private readonly broadcastPresence = (message: OutgoingMessage, except: Member | undefined): void => {
    this.broadcast(message, except);
  };

  private readonly announceRemoteRename = (info: MemberInfo, previous: string): void => {
    this.presence.flush();
    this.broadcast(this.notice('nick', `${previous} is now known as ${info.name}`, info, previous));
  };

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
