import type { MemberInfo } from '../../shared/events.js';
import { nickKey } from '../../shared/nick.js';
import { adminSecret } from '../auth/admin-source.js';
import { ipOfAddress } from '../auth/server-password.js';
import type { Channel } from '../channel/channel.js';
import { banIdentity, banMask, memberKey } from '../channel/room-moderation.js';
import type { ModerationChange } from './cluster-link.js';
import type { HubCore } from './hub-core.js';
import { partedText } from './hub-texts.js';
import type { Intent } from './intents.js';
import type { Session } from './session.js';

type ModerationIntent = Extract<Intent, { type: 'op' | 'kick' | 'ban' | 'unban' | 'mute' | 'lock' | 'oper' | 'kill' }>;

function until(ms: number | null): string {
  return ms === null ? 'until lifted' : `until ${new Date(ms).toISOString()}`;
}

/**
 * Room operators and server operators: who may change a room (`/op`, `/kick`, `/ban`, `/mute`,
 * `/lock`), the checks on joining, speaking and setting a topic, and the server operators'
 * `/oper` and `/kill`. One implementation for every transport: IRC's MODE and KICK, the page's
 * typed text and the text clients' slash commands all arrive here as intents. Every refusal is
 * one error notice to the asker with a named code; every change is announced to the room as a
 * notice (IRC shows it as MODE or KICK) and stored, so it outlives a restart.
 */
export class ModerationRunner {
  constructor(
    private readonly core: HubCore,
    private readonly roomOf: (session: Session, name: string | null) => Channel | null,
    /** Whether what is filed under the member's name is its own (`--accounts`: a registered name only for its logged-in owner). */
    private readonly ownsName: (session: Session) => boolean = () => true,
  ) {}

  /**
   * A room operator of `channel`, or a server operator (who is one in every room). Operators are
   * filed by nick key; a logged-in member's nick is its account's, so what a logged-in founder
   * gets is filed under the account, and status under a registered name is only its owner's.
   */
  isOperator(session: Session, channel: Channel): boolean {
    return session.serverOperator || (channel.moderation.isOp(session.name) && this.ownsName(session));
  }

  /** The first member of an empty room nobody had made before runs it. */
  founded(session: Session, channel: Channel): void {
    channel.moderation.ops.add(memberKey(session.name));
    this.share(channel, null);
  }

  /** Whether a ban keeps the member out of the room; if so it has been told. */
  refusesJoin(session: Session, channel: Channel): boolean {
    if (session.serverOperator) return false;
    const ban = channel.moderation.banFor(banIdentity(session.name, session.transport, ipOfAddress(session.address)), this.core.clock());
    if (ban === undefined) return false;
    this.core.noticeTo(session, `you are banned from ${channel.name} (${ban.mask}, ${until(ban.until)})`, 'error', 'SB_ERR_BANNED', channel);
    return true;
  }

  /** Whether the member may not speak in the room (muted, or the room is locked for talk); if so it has been told. */
  refusesSay(session: Session, channel: Channel): boolean {
    const moderation = channel.moderation;
    if (!moderation.isMuted(session.name) && !moderation.moderated) return false;
    if (this.isOperator(session, channel)) return false;
    const why = moderation.moderated ? 'only its operators speak there (/lock talk)' : 'an operator muted you';
    this.core.noticeTo(session, `you cannot speak in ${channel.name}: ${why}`, 'error', 'SB_ERR_MUTED', channel);
    return true;
  }

  /** Whether the topic is locked and the member is no operator; if so it has been told. */
  refusesTopic(session: Session, channel: Channel): boolean {
    if (!channel.moderation.topicLocked || this.isOperator(session, channel)) return false;
    this.refuse(session, channel, 'the topic is locked (/lock topic)');
    return true;
  }

  execute(session: Session, intent: ModerationIntent): void {
    if (intent.type === 'oper') {
      this.oper(session, intent.name, intent.secret);
      return;
    }
    if (intent.type === 'kill') {
      this.kill(session, intent.nick, intent.reason);
      return;
    }
    // A server operator may name a room it is not in (this instance must hold the room).
    const held = session.serverOperator && intent.room !== null ? this.core.rooms.find(intent.room) : undefined;
    const channel = held ?? this.roomOf(session, intent.room);
    if (channel === null) return;
    if (!this.isOperator(session, channel)) {
      this.refuse(session, channel, `/${intent.type === 'op' && !intent.give ? 'deop' : intent.type} is for its operators`);
      return;
    }
    const moderation = channel.moderation;
    switch (intent.type) {
      case 'op': {
        const key = memberKey(intent.nick);
        if (intent.give) moderation.ops.add(key);
        else moderation.ops.delete(key);
        this.changed(session, channel, intent.give ? `${session.name} made ${intent.nick} an operator of ${channel.name}` : `${session.name} took operator status in ${channel.name} from ${intent.nick}`, `${intent.give ? '+' : '-'}o ${intent.nick}`);
        return;
      }
      case 'mute': {
        const key = memberKey(intent.nick);
        if (intent.give) moderation.muted.add(key);
        else moderation.muted.delete(key);
        this.changed(session, channel, `${session.name} ${intent.give ? 'muted' : 'unmuted'} ${intent.nick} in ${channel.name}`, `${intent.give ? '+' : '-'}q ${intent.nick}`);
        return;
      }
      case 'lock': {
        if (intent.what === 'topic') moderation.topicLocked = intent.on;
        else moderation.moderated = intent.on;
        const what = intent.what === 'topic' ? 'only operators set the topic' : 'only operators speak';
        this.changed(session, channel, `${session.name} ${intent.on ? 'locked' : 'unlocked'} ${channel.name}: ${intent.on ? what : `not ${what} any more`}`, `${intent.on ? '+' : '-'}${intent.what === 'topic' ? 't' : 'm'}`);
        return;
      }
      case 'kick':
        this.kick(session, channel, intent.nick, intent.reason);
        return;
      case 'ban':
        this.ban(session, channel, intent.target, intent.durationMs);
        return;
      case 'unban': {
        const mask = banMask(intent.target);
        if (!moderation.unban(mask)) {
          this.core.noticeTo(session, `${channel.name} has no ban of ${mask}`, 'error', 'SB_ERR_NO_SUCH_MEMBER', channel);
          return;
        }
        this.changed(session, channel, `${session.name} lifted the ban of ${mask} in ${channel.name}`, `-b ${mask}`);
        return;
      }
    }
  }

  /** Removes a member from the room: everyone there (it too) sees who and why, on every transport. */
  kickOut(by: MemberInfo, channel: Channel, target: Session, reason: string): void {
    const text = `${target.name} was kicked from ${channel.name} by ${by.name} (${reason === '' ? 'no reason given' : reason})`;
    channel.remove(target, channel.notice('leave', text, { member: target.info(), setter: by }));
    target.rooms.delete(channel.key);
    this.core.link?.partedRoom(channel, target.info(), `kicked by ${by.name}`);
    if (target.current === channel) target.current = [...target.rooms.values()].at(-1) ?? null;
    if (target.connection.kicked !== undefined) target.connection.kicked(channel.name, reason);
    else this.core.noticeTo(target, partedText(channel.name, target.current?.name ?? null));
  }

  private kick(session: Session, channel: Channel, nick: string, reason: string): void {
    const key = nickKey(nick);
    const target = [...channel.members].find((member) => nickKey(member.name) === key);
    if (target === undefined) {
      this.kickElsewhere(session, channel, nick, reason);
      return;
    }
    this.kickOut(session.info(), channel, target, reason);
    if (!channel.members.has(session)) this.core.noticeTo(session, `${target.name} was kicked from ${channel.name}`);
  }

  private ban(session: Session, channel: Channel, target: string | null, durationMs: number | null): void {
    const moderation = channel.moderation;
    const now = this.core.clock();
    if (target === null) {
      const list = moderation.activeBans(now).map((ban) => `${ban.mask} (by ${ban.by}, ${until(ban.until)})`);
      this.core.noticeTo(session, list.length === 0 ? `${channel.name} has no bans` : `bans of ${channel.name}: ${list.join(', ')}`, 'info', undefined, channel);
      return;
    }
    const mask = banMask(target);
    const ends = durationMs === null ? null : now + durationMs;
    moderation.ban({ mask, until: ends, by: session.name });
    this.changed(session, channel, `${session.name} banned ${mask} from ${channel.name} ${until(ends)}`, `+b ${mask}`);
    this.removeBanned(session.info(), channel);
  }

  /**
   * Whoever a ban of the room matches is removed now, as a kick saying so (a server operator and
   * the one who set it stay): on the instance where it was set, and on each other one as the
   * change reaches it (`--redis`).
   */
  removeBanned(by: MemberInfo | null, channel: Channel): void {
    const now = this.core.clock();
    for (const member of [...channel.members]) {
      if (member.id === by?.id || member.serverOperator) continue;
      const ban = channel.moderation.banFor(banIdentity(member.name, member.transport, ipOfAddress(member.address)), now);
      // Read again from Redis (no change event): the kick names who set the ban.
      if (ban !== undefined) this.kickOut(by ?? { id: 0, name: ban.by, transport: member.transport }, channel, member, 'banned');
    }
  }

  /** The member is in the room on another instance (`--redis`): that instance is asked to remove it. */
  private kickElsewhere(session: Session, channel: Channel, nick: string, reason: string): void {
    const key = nickKey(nick);
    const remote = [...channel.remote.values()].find((member) => nickKey(member.info.name) === key);
    const link = this.core.link;
    if (remote === undefined || link === null || !link.up) {
      this.core.noticeTo(session, `${nick} is not in ${channel.name}${remote === undefined ? '' : ' (its instance cannot be reached)'}`, 'error', 'SB_ERR_NO_SUCH_MEMBER', channel);
      return;
    }
    // Its instance removes it and says so to its members; the leave reaches this one as a part.
    link.kickRemote(channel, remote.info.id, session.info(), reason);
    if (!channel.members.has(session)) this.core.noticeTo(session, `${remote.info.name} was kicked from ${channel.name}`);
  }

  private oper(session: Session, name: string, secret: string): void {
    const admins = this.core.admins;
    if (admins === null) {
      this.core.noticeTo(session, 'this server has no operators (--admin)', 'error', 'SB_ERR_OPER_FAILED');
      return;
    }
    const verdict = admins.check(ipOfAddress(session.address), adminSecret(name, secret), this.core.clock());
    if (verdict.outcome === 'locked') {
      this.core.noticeTo(session, `too many wrong /oper attempts from this address; try again in ${Math.ceil(verdict.retryMs / 1000)} s`, 'error', 'SB_ERR_PASSWORD_LOCKOUT');
      return;
    }
    if (verdict.outcome === 'wrong') {
      this.core.noticeTo(session, 'no server operator has that name and secret', 'error', 'SB_ERR_OPER_FAILED');
      return;
    }
    session.serverOperator = true;
    this.core.logOperator(session, name);
    this.core.noticeTo(session, `you are now a server operator (${name}): you can moderate any room and /kill`);
  }

  private kill(session: Session, nick: string, reason: string): void {
    if (!session.serverOperator) {
      this.core.noticeTo(session, '/kill is for server operators (/oper NAME SECRET)', 'error', 'SB_ERR_NOT_OPERATOR');
      return;
    }
    const target = this.core.nicks.holder(nickKey(nick));
    if (target === undefined) {
      this.core.noticeTo(session, `no member of this instance is called ${nick}`, 'error', 'SB_ERR_NO_SUCH_MEMBER');
      return;
    }
    const why = `killed by ${session.name}${reason === '' ? '' : `: ${reason}`}`;
    this.core.stats.countError('SB_ERR_KILLED');
    const farewell = this.core.notice('error', `error: ${why}; closing connection`, 'SB_ERR_KILLED');
    this.core.leave(target, why);
    target.connection.close('SB_ERR_KILLED', farewell);
    if (target !== session) this.core.noticeTo(session, `${target.name} was disconnected (${why})`);
  }

  /** Stores the room's state here and, with `--redis`, for every instance (which announce `change`). */
  private share(channel: Channel, change: ModerationChange | null): void {
    this.core.rooms.rememberModeration(channel);
    this.core.link?.moderationChanged(channel, channel.moderation.state(), change);
  }

  private refuse(session: Session, channel: Channel, why: string): void {
    this.core.noticeTo(session, `you are not an operator of ${channel.name}: ${why}`, 'error', 'SB_ERR_NOT_OPERATOR', channel);
  }

  /** Stores the room's new state and tells everyone in it (IRC: `:op MODE #room +o nick`). */
  private changed(session: Session, channel: Channel, text: string, mode: string): void {
    this.share(channel, { text, mode, setter: session.info() });
    channel.announce(channel.notice('info', text, { setter: session.info(), mode }));
    // A server operator acting from outside the room is told too.
    if (!channel.members.has(session)) this.core.noticeTo(session, text);
  }
}
