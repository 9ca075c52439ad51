import type { MemberInfo, RoomInfo, Transport } from '../../shared/events.js';
import type { HistoryStore } from '../history/history-store.js';
import type { Session } from '../hub/session.js';
import type { Clock } from '../message/clock.js';
import { OutgoingMessage, type RoomRef } from '../message/outgoing-message.js';
import { ChannelHistory, type ReplayCursor, type ResumePoint } from './channel-history.js';
import { PresenceAnnouncer } from './presence-announcer.js';
import { RemoteMembers } from './remote-members.js';
import { RoomModeration, type ModerationState } from './room-moderation.js';

/** What a channel needs of the hub: the one write path (counted, policed) and message ids. */
export interface ChannelHost {
  readonly clock: Clock;
  /** Delivers to one member through its connection (every byte goes through the output policy). */
  deliver(session: Session, message: OutgoingMessage): void;
  /**
   * A chat line or action was said in `channel` (after its members got it): for followers and
   * webhooks. `local`: its sender is on this instance (always, without `--redis`).
   */
  said?(channel: Channel, message: OutgoingMessage, local: boolean): void;
}

export interface ChannelOptions {
  room: RoomRef;
  topic: string;
  host: ChannelHost;
  store: HistoryStore | null;
  /** Stored messages replayed to a member joining (`--history`). */
  joinHistory: number;
  /** `--presence-delay`. */
  presenceDelayMs: number;
  /** Epoch of a room without a store: random, so no resume ever matches. */
  noStoreEpoch: string;
  /** Its operators, bans, mutes and locks as stored; none for a new room. */
  moderation?: ModerationState;
}

/**
 * One room: its members (this instance's sessions, and the other instances' with `--redis`), its
 * topic, its history and its presence. It knows no transport: it hands messages to the hub's one
 * write path. Messages go to every member but the sender (the seed's rule); join and leave notices
 * are batched per room (PresenceAnnouncer) and always flushed before a chat line, so a member is
 * announced before it is heard.
 */
export class Channel implements RoomRef {
  readonly name: string;
  readonly key: string;
  topic: string;
  /** This instance's members, in join order. */
  readonly members = new Set<Session>();
  /** The other instances' members (`--redis`); the link keeps it. */
  readonly remote: RemoteMembers;
  /** When the last local and remote member left; null while anyone is here. */
  emptySince: number | null;
  /** Operators, bans, mutes, locks (hub/moderation-runner.ts changes them, the registry stores them). */
  readonly moderation: RoomModeration;
  private readonly host: ChannelHost;
  private readonly history: ChannelHistory;
  private readonly presence: PresenceAnnouncer<Session>;

  constructor(options: ChannelOptions) {
    this.name = options.room.name;
    this.key = options.room.key;
    this.topic = options.topic;
    this.host = options.host;
    this.emptySince = options.host.clock();
    this.moderation = new RoomModeration(options.moderation);
    this.history = new ChannelHistory(options.store, this, options.joinHistory, options.noStoreEpoch);
    this.presence = new PresenceAnnouncer(this, options.presenceDelayMs, options.host.clock, this.broadcastPresence, this.roomSize);
    this.remote = new RemoteMembers(this.presence);
  }

  /** Members in the whole room (every instance). */
  get count(): number {
    return this.members.size + this.remote.size;
  }

  get epoch(): string {
    return this.history.epoch;
  }

  info(): RoomInfo {
    return { name: this.name, count: this.count, topic: this.topic };
  }

  /**
   * Members in join order, at most `limit`: this instance's, then the others' (`--redis`).
   * This instance's operators are marked `op` (the page's @, IRC's NAMES and WHO).
   */
  list(limit = Number.POSITIVE_INFINITY): MemberInfo[] {
    const out: MemberInfo[] = [];
    for (const session of this.members) {
      if (out.length >= limit) return out;
      const info = session.info();
      out.push(this.moderation.isOp(info.name) ? { ...info, op: true } : info);
    }
    for (const { info } of this.remote.values()) {
      if (out.length >= limit) return out;
      out.push(info);
    }
    return out;
  }

  countByTransport(counts: Record<Transport, number>): void {
    for (const session of this.members) counts[session.transport] += 1;
  }

  /**
   * A session enters: the others are told (batched), and it gets what to replay (the newest
   * `--history` messages, or for a page that says where it left off, what it missed).
   */
  join(session: Session, resume: ResumePoint | undefined): ReplayCursor {
    this.members.add(session);
    this.emptySince = null;
    const replay = this.history.replayFor(resume);
    this.presence.joined(session, () => session.info());
    return replay;
  }

  /** A session leaves (it parted, or its connection ended); `reason` is shown after its name. */
  leave(session: Session, reason: string | undefined): void {
    if (!this.members.delete(session)) return;
    this.presence.left(session.info(), reason);
    this.noteIfEmpty();
  }

  /**
   * A chat line or action, to every member but the sender; stored first (the store commits the
   * turn's batch before any of the turn's output reaches a socket). `id` 0: not stored (said
   * while the shared room was unreachable). `local` false: it was said on another instance and
   * came through the shared room.
   */
  deliverMessage(message: OutgoingMessage, sender: Session | undefined, local = true): void {
    this.presence.flush();
    if (message.id !== 0) this.history.record(message);
    this.broadcast(message, sender);
    if (sender !== undefined) sender.connection.acknowledge?.(message);
    this.host.said?.(this, message, local);
  }

  /** A notice about this room (topic, rename) to every member here, in order with chat. */
  announce(message: OutgoingMessage, except?: Session): void {
    this.presence.flush();
    this.broadcast(message, except);
  }

  /**
   * A member removed by an operator (a kick, a ban): `notice` says so to everyone here, the
   * member too, in order with chat; no leave of it is batched after.
   */
  remove(session: Session, notice: OutgoingMessage): void {
    if (!this.members.has(session)) return;
    this.announce(notice);
    this.members.delete(session);
    this.noteIfEmpty();
  }

  /** Joins and leaves still in the presence window go out now (before a rename, say). */
  flushPresence(): void {
    this.presence.flush();
  }

  /** To every local member except `except`, the same OutgoingMessage (so the same buffers). */
  broadcast(message: OutgoingMessage, except?: Session): void {
    for (const session of this.members) {
      if (session !== except) this.host.deliver(session, message);
    }
  }

  /** Shutdown: nothing pending is announced. */
  stop(): void {
    this.presence.stop();
  }

  /** A member of another instance left or its instance vanished: the room may be empty now. */
  noteIfEmpty(): void {
    if (this.count === 0 && this.emptySince === null) this.emptySince = this.host.clock();
  }

  /** A notice about this room; a topic notice carries the topic (and its setter) for typed wires. */
  notice(kind: 'join' | 'leave' | 'topic' | 'info', text: string, about: { topic?: string; setter?: MemberInfo; member?: MemberInfo; mode?: string } = {}): OutgoingMessage {
    return new OutgoingMessage({ kind: 'notice', notice: kind, room: this, time: this.host.clock(), text, ...about });
  }

  private readonly roomSize = (): number => this.count;

  private readonly broadcastPresence = (message: OutgoingMessage, except: Session | undefined): void => {
    this.broadcast(message, except);
    if (message.notice === 'leave') this.noteIfEmpty();
  };
}
