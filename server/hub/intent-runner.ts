import { MEMBER_LIST_MAX } from '../../shared/limits.js';
import { nickKey } from '../../shared/nick.js';
import type { Channel } from '../channel/channel.js';
import type { ResumePoint } from '../channel/channel-history.js';
import { OutgoingMessage } from '../message/outgoing-message.js';
import type { HubCore } from './hub-core.js';
import { describeLimits } from './hub-limits.js';
import { joinedText, partedText, roomsText, welcomeText, whoText } from './hub-texts.js';
import type { Intent } from './intents.js';
import type { RoomView, Session } from './session.js';
import { AccountRunner } from './account-runner.js';
import { ModerationRunner } from './moderation-runner.js';
import { HELP_TEXT } from './slash-commands.js';

/** Longest topic, in characters: it is in every `/rooms` line and every join notice. */
export const TOPIC_MAX = 300;

/**
 * What each intent does, whoever asked (a slash command, a page event, an IRC verb): joining and
 * leaving rooms, saying, direct messages, lists and topics. Replies go to the asker only, as typed
 * events where its connection has them and as notices otherwise.
 */
export class IntentRunner {
  readonly moderation: ModerationRunner;
  readonly accounts: AccountRunner;

  constructor(private readonly core: HubCore) {
    this.accounts = new AccountRunner(core);
    this.moderation = new ModerationRunner(
      core,
      (session, name) => this.roomOf(session, name),
      (session) => this.accounts.ownsName(session),
    );
  }

  /** Runs one intent for a member. */
  execute(session: Session, intent: Intent): void {
    if (!session.present) return;
    switch (intent.type) {
      case 'say':
        this.say(session, intent.room, intent.kind, intent.text);
        return;
      case 'join':
        this.join(session, intent.room, intent.resume);
        return;
      case 'part':
        this.part(session, intent.room, intent.reason);
        return;
      case 'nick':
        this.core.nicks.request(session, intent.name, this.core.link);
        return;
      case 'msg':
        this.direct(session, intent.to, intent.kind, intent.text);
        return;
      case 'who':
        this.who(session, intent.room, intent.quiet);
        return;
      case 'rooms':
        this.listRooms(session);
        return;
      case 'topic':
        this.topic(session, intent.room, intent.text);
        return;
      case 'help':
        this.core.noticeTo(session, HELP_TEXT);
        return;
      case 'quit':
        this.quit(session, intent.reason);
        return;
      case 'pass':
        // The hub's password gate takes it before authentication; after, it is a no-op.
        this.core.noticeTo(session, 'you are already in: the server password is asked once, first');
        return;
      case 'op':
      case 'kick':
      case 'ban':
      case 'unban':
      case 'mute':
      case 'lock':
      case 'oper':
      case 'kill':
        this.moderation.execute(session, intent);
        return;
      case 'register':
      case 'login':
        this.accounts.execute(session, intent);
        return;
      case 'usage':
        this.core.noticeTo(session, intent.text, 'error', 'SB_ERR_USAGE');
        return;
      case 'unknown':
        this.core.noticeTo(session, `unknown command /${intent.command}; ${HELP_TEXT}`, 'error', 'SB_ERR_UNKNOWN_COMMAND');
        return;
    }
  }

  /** Puts a session in a room: it is told who is there, then gets the room's replay. */
  enter(session: Session, channel: Channel, resume: ResumePoint | undefined, first: boolean): void {
    const cursor = channel.join(session, resume);
    session.rooms.set(channel.key, channel);
    session.current = channel;
    this.core.link?.joinedRoom(channel, session.info());
    const view: RoomView = { name: channel.name, topic: channel.topic, members: channel.list(MEMBER_LIST_MAX), count: channel.count, replayed: cursor.count };
    const connection = session.connection;
    if (connection.joined !== undefined) connection.joined(view);
    if (first) this.core.noticeTo(session, welcomeText(this.core.name, session.name, view, describeLimits(this.core.limits)));
    else if (connection.joined === undefined) this.core.noticeTo(session, joinedText(view), 'info', undefined, channel);
    connection.replay(cursor);
  }

  /** The room an intent names (or the current one), if the member is in it; else it is told why. */
  private roomOf(session: Session, name: string | null): Channel | null {
    if (name === null) {
      if (session.current === null) this.core.noticeTo(session, 'you are in no room: /join #ROOM to talk', 'error', 'SB_ERR_NOT_IN_ROOM');
      return session.current;
    }
    const channel = this.core.rooms.find(name);
    if (channel === undefined || !session.rooms.has(channel.key)) {
      this.core.noticeTo(session, `you are not in ${name}: /join ${name} first`, 'error', 'SB_ERR_NOT_IN_ROOM');
      return null;
    }
    return channel;
  }

  /**
   * A chat line or action in a room, to its other members. Alone, it gets its id here; in a
   * shared room it is published, and delivered when the link hands it back (`sharedMessage`).
   */
  private say(session: Session, room: string | null, kind: 'chat' | 'action', text: string): void {
    const channel = this.roomOf(session, room);
    if (channel === null || this.moderation.refusesSay(session, channel)) return;
    if (this.core.link?.publish({ room: channel, kind, time: this.core.clock(), text, from: session.info() }) === true) return;
    const id = this.core.link === null ? this.core.nextMessageId() : 0;
    const message = new OutgoingMessage({ kind, room: channel, id, time: this.core.clock(), text, from: session.info() });
    channel.deliverMessage(message, session);
  }

  private join(session: Session, name: string, resume: ResumePoint | undefined): void {
    const opened = this.core.rooms.open(name);
    if ('refusal' in opened) {
      this.core.noticeTo(session, opened.refusal, 'error', /not a room name/.test(opened.refusal) ? 'SB_ERR_ROOM_INVALID' : 'SB_ERR_TOO_MANY_ROOMS');
      return;
    }
    const channel = opened.channel;
    if (session.rooms.has(channel.key)) {
      session.current = channel;
      this.core.noticeTo(session, `you are in ${channel.name}; plain lines now go there`, 'info', undefined, channel);
      return;
    }
    if (session.rooms.size >= this.core.limits.maxRoomsPerMember) {
      this.core.noticeTo(session, `you are in ${session.rooms.size} rooms, the limit: /part one first`, 'error', 'SB_ERR_TOO_MANY_ROOMS');
      return;
    }
    if (this.moderation.refusesJoin(session, channel)) return;
    // The first member of a room nobody made before is its operator.
    if (opened.created && channel.count === 0) this.moderation.founded(session, channel);
    this.enter(session, channel, resume, false);
  }

  private part(session: Session, name: string | null, reason: string): void {
    const channel = this.roomOf(session, name);
    if (channel === null) return;
    session.rooms.delete(channel.key);
    channel.leave(session, reason === '' ? undefined : reason);
    this.core.link?.partedRoom(channel, session.info(), reason === '' ? undefined : reason);
    if (session.current === channel) session.current = [...session.rooms.values()].at(-1) ?? null;
    if (session.connection.parted !== undefined) session.connection.parted(channel.name, reason);
    else this.core.noticeTo(session, partedText(channel.name, session.current?.name ?? null));
  }

  /** `/msg`: to a member of this instance, or through the link to the one that holds it. */
  private direct(session: Session, toName: string, kind: 'chat' | 'action', text: string): void {
    const key = nickKey(toName);
    const local = this.core.nicks.holder(key) ?? [...this.core.sessions.values()].find((candidate) => candidate.nick === null && candidate.authenticated && candidate.address === toName);
    const from = session.info();
    const time = this.core.clock();
    if (local !== undefined) {
      const message = new OutgoingMessage({ kind, to: local.info(), time, text, from });
      this.core.stats.directMessages += 1;
      if (local !== session) this.core.deliver(local, message);
      session.connection.acknowledge?.(message);
      return;
    }
    const remote = this.core.link?.remoteByNick(key);
    if (remote === undefined || this.core.link === null) {
      this.core.noticeTo(session, `no member is called ${toName}`, 'error', 'SB_ERR_NO_SUCH_MEMBER');
      return;
    }
    const link = this.core.link;
    void link.sendDirect({ to: remote.info, from: session.info(), kind, text, time }, remote.instance).then((sent) => {
      if (!session.present) return;
      if (!sent) {
        this.core.noticeTo(session, `your message to ${toName} could not be delivered: the other instances cannot be reached`, 'error', 'SB_ERR_NO_SUCH_MEMBER');
        return;
      }
      this.core.stats.directMessages += 1;
      session.connection.acknowledge?.(new OutgoingMessage({ kind, to: remote.info, time, text, from }));
    });
  }

  private who(session: Session, name: string | null, quiet: boolean): void {
    const channel = this.roomOf(session, name);
    if (channel === null) return;
    const members = channel.list(MEMBER_LIST_MAX);
    if (quiet && session.connection.members !== undefined) session.connection.members(channel.name, members, channel.count);
    else this.core.noticeTo(session, whoText(channel.name, members, channel.count), 'info', undefined, channel);
  }

  private listRooms(session: Session): void {
    const rooms = this.core.rooms.list(MEMBER_LIST_MAX);
    if (session.connection.rooms !== undefined) session.connection.rooms(rooms, this.core.rooms.size);
    else this.core.noticeTo(session, roomsText(rooms, this.core.rooms.size));
  }

  private topic(session: Session, name: string | null, text: string | null): void {
    const channel = this.roomOf(session, name);
    if (channel === null) return;
    if (text === null) {
      this.core.noticeTo(session, channel.topic === '' ? `${channel.name} has no topic` : `topic of ${channel.name}: ${channel.topic}`, 'info', undefined, channel);
      return;
    }
    if (this.moderation.refusesTopic(session, channel)) return;
    const topic = text.replace(/\s+/g, ' ').trim();
    if ([...topic].length > TOPIC_MAX) {
      this.core.noticeTo(session, `a topic has at most ${TOPIC_MAX} characters`, 'error', 'SB_ERR_TOPIC_TOO_LONG');
      return;
    }
    channel.topic = topic;
    this.core.rooms.remember(channel);
    this.core.link?.topicChanged(channel, topic);
    const said = topic === '' ? `${session.name} cleared the topic of ${channel.name}` : `${session.name} set the topic of ${channel.name}: ${topic}`;
    channel.announce(channel.notice('topic', said, { topic, setter: session.info() }));
  }

  /**
   * `/quit [reason]`: a goodbye to the member, its leaves announced with the reason, the
   * connection closed by the server. Some clients have no other clean way out: netcat-openbsd
   * keeps running until its stdin ends, so the transport also ends a peer that does not close.
   */
  private quit(session: Session, reason: string): void {
    const goodbye = this.core.notice('info', reason === '' ? 'goodbye' : `goodbye (${reason})`);
    this.core.leave(session, reason === '' ? undefined : `quit: ${reason}`);
    session.connection.close('quit', goodbye);
  }
}
