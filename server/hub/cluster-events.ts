import type { MemberInfo } from '../../shared/events.js';
import { ReplayCursor } from '../channel/channel-history.js';
import { OutgoingMessage, type RoomRef } from '../message/outgoing-message.js';
import type { ModerationState } from '../history/moderation-record.js';
import type { ClusterHub, LocalMember, ModerationChange, SharedDirect, SharedMessage } from './cluster-link.js';
import { nickKey } from '../../shared/nick.js';
import type { HubCore } from './hub-core.js';
import type { ModerationRunner } from './moderation-runner.js';
import type { Session } from './session.js';

/**
 * What the other instances tell this one (`--redis`), applied to the hub: shared chat lines,
 * direct messages, remote members joining and leaving rooms, renames, topics, a replaced history,
 * a nickname lost in a split. The link calls these; they never call the link back for the same
 * event, so an event cannot echo between instances.
 */
export class ClusterEvents implements ClusterHub {
  constructor(
    private readonly core: HubCore,
    private readonly moderation: ModerationRunner,
  ) {}

  /**
   * This instance's members with the key of their nickname and their rooms, for re-registering;
   * not those still to give the server password (never announced).
   */
  localMembers(): LocalMember[] {
    return [...this.core.sessions.values()].filter((session) => session.authenticated).map((session) => ({
      info: session.info(),
      nickKey: session.nick === null ? null : nickKey(session.nick),
      rooms: [...session.rooms.values()],
    }));
  }

  sharedMessage(shared: SharedMessage): void {
    const channel = this.core.rooms.find(shared.room.name);
    if (channel === undefined) return;
    const { id, kind, time, text, from } = shared;
    const message = new OutgoingMessage({ kind, room: channel, id, time, text, from: { id: from.id, name: from.name, transport: from.transport } });
    const local = shared.instance === this.core.link?.instance;
    channel.deliverMessage(message, local ? this.core.sessions.get(from.id) : undefined, local);
  }

  directMessage(direct: SharedDirect): void {
    const target = this.core.sessions.get(direct.to.id);
    if (target === undefined) return;
    this.core.deliver(target, new OutgoingMessage({ kind: direct.kind, to: direct.to, time: direct.time, text: direct.text, from: { id: direct.from.id, name: direct.from.name, transport: direct.from.transport } }));
  }

  remoteJoined(room: RoomRef, member: MemberInfo, instance: string): void {
    const opened = this.core.rooms.open(room.name);
    if ('channel' in opened) opened.channel.remote.joined(member, instance);
  }

  remoteParted(room: RoomRef, memberId: number, reason: string | undefined): void {
    this.core.rooms.find(room.name)?.remote.left(memberId, reason);
  }

  /** Every room that lists the member learns the name; the rename is announced once, not once per room. */
  remoteRenamed(member: MemberInfo, previous: string): void {
    let known = false;
    for (const channel of this.core.rooms.values()) known = channel.remote.rename(member) || known;
    if (known) this.announceRemoteRename(member, previous);
  }

  remoteTopic(room: RoomRef, topic: string): void {
    const channel = this.core.rooms.find(room.name);
    if (channel === undefined || channel.topic === topic) return;
    channel.topic = topic;
    channel.announce(channel.notice('topic', topic === '' ? `the topic of ${channel.name} was cleared` : `topic of ${channel.name}: ${topic}`, { topic }));
  }

  /**
   * Another instance's operator changed the room (or a re-read found it changed): the same rules
   * apply here at once, the change is announced to this instance's members (IRC: MODE from the
   * setter), and a new ban removes the members it matches here too.
   */
  remoteModeration(room: RoomRef, state: ModerationState, change: ModerationChange | null): void {
    const channel = this.core.rooms.find(room.name);
    if (channel === undefined) return;
    channel.moderation.replace(state);
    if (change !== null) channel.announce(channel.notice('info', change.text, { setter: change.setter, mode: change.mode }));
    this.moderation.removeBanned(change?.setter ?? null, channel);
  }

  remoteKick(room: RoomRef, target: number, by: MemberInfo, reason: string): void {
    const channel = this.core.rooms.find(room.name);
    const session = this.core.sessions.get(target);
    if (channel === undefined || session === undefined || !channel.members.has(session)) return;
    this.moderation.kickOut(by, channel, session, reason);
  }

  historyReplaced(epoch: string): void {
    for (const session of this.core.sessions.values()) {
      for (const channel of session.rooms.values()) session.connection.replay(ReplayCursor.empty(channel, epoch));
    }
  }

  nickLost(memberId: number): void {
    const session = this.core.sessions.get(memberId);
    if (session === undefined || session.nick === null) return;
    const lost = session.nick;
    this.core.nicks.release(session);
    session.nick = null;
    this.core.noticeTo(session, `nickname ${lost} was taken on another instance while the server was split; you are ${session.name} again`, 'error', 'SB_ERR_NICK_TAKEN');
    this.core.announceRename(session, lost);
    this.core.link?.renamed(session.info(), lost, null, null);
  }

  /** A member of another instance renamed: once to each local member who shares a room with it. */
  private announceRemoteRename(info: MemberInfo, previous: string): void {
    const recipients = new Set<Session>();
    for (const channel of this.core.rooms.values()) {
      if (channel.remote.has(info.id)) for (const session of channel.members) recipients.add(session);
    }
    const notice = new OutgoingMessage({ kind: 'notice', notice: 'nick', time: this.core.clock(), text: `${previous} is now known as ${info.name}`, member: info, previous });
    for (const session of recipients) this.core.deliver(session, notice);
  }
}
