import type { Logger } from 'pino';
import type { MemberInfo, NoticeKind } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { nickKey, nickProblem } from '../../shared/nick.js';
import { isBlank, sanitizeText } from '../../shared/text.js';
import { type Clock, systemClock } from './clock.js';
import { runCommand } from './commands.js';
import { TrafficStats } from '../stats.js';
import { Member, type MemberConnection } from './member.js';
import { OutgoingMessage } from './outgoing-message.js';

export interface RoomOptions {
  logger: Logger;
  clock?: Clock;
  /** Shown in the welcome notice. */
  name?: string;
  /** Counters shared with the adapters and read by /metrics. */
  stats?: TrafficStats;
}

/**
 * The one chat room. It knows members, nicknames and what to send to whom, and nothing of
 * sockets: every transport adapter joins its connections here through MemberConnection.
 * Messages go to every other member in the order they are received (the seed's rule: no echo
 * to the sender); replies to a member's own commands go to that member only.
 */
export class Room {
  readonly stats: TrafficStats;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly name: string;
  private readonly present = new Set<Member>();
  private readonly byNick = new Map<string, Member>();
  private nextId = 1;

  constructor(options: RoomOptions) {
    this.log = options.logger;
    this.clock = options.clock ?? systemClock;
    this.name = options.name ?? 'switchboard';
    this.stats = options.stats ?? new TrafficStats();
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

  join(connection: MemberConnection): Member {
    const member = new Member(this.nextId++, connection, this.clock());
    this.present.add(member);
    this.log.info({ member: member.id, from: member.address, transport: member.transport }, 'member joined');
    connection.welcome?.(member.info(), this.list());
    const others = this.present.size - 1;
    this.noticeTo(
      member,
      `welcome to ${this.name}, you are ${member.name}; ${others === 1 ? '1 other member' : `${others} other members`} here; /help for commands`,
    );
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

  /** Text from a member, as decoded by its transport: a command or a chat line. */
  receive(member: Member, raw: string): void {
    if (!member.present) return;
    const text = sanitizeText(raw);
    if (isBlank(text)) return;
    this.stats.messagesIn[member.transport] += 1;
    this.log.info({ from: member.address, name: member.name, transport: member.transport, text }, 'received');
    if (runCommand(this, member, text)) return;
    this.say(member, 'chat', text);
  }

  /** A chat line or action from a member, to every other member. */
  say(member: Member, kind: 'chat' | 'action', text: string): void {
    const message = new OutgoingMessage({ kind, time: this.clock(), text, from: member.info() });
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

  private deliver(member: Member, message: OutgoingMessage): void {
    if (message.kind === 'notice') this.stats.noticesOut[member.transport] += 1;
    else this.stats.messagesOut[member.transport] += 1;
    member.connection.deliver(message);
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
