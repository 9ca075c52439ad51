import type { Logger } from 'pino';
import type { MemberInfo } from '../../shared/events.js';
import type { HistoryStore } from '../history/history-store.js';
import type { ModerationState } from '../history/moderation-record.js';
import type { RoomRef } from '../message/outgoing-message.js';

/** A chat line or action as every instance sees it, with the id it was given. */
export interface SharedMessage {
  room: RoomRef;
  id: number;
  time: number;
  kind: 'chat' | 'action';
  text: string;
  from: MemberInfo;
  /** The instance whose member said it (that instance does not echo it back to the sender). */
  instance: string;
}

export type SharedDraft = Omit<SharedMessage, 'id' | 'instance'>;

/** A direct message on its way to the instance that holds the recipient. */
export interface SharedDirect {
  to: MemberInfo;
  from: MemberInfo;
  kind: 'chat' | 'action';
  text: string;
  time: number;
}

/** What an operator changed, as the room is told (IRC shows `mode` as a MODE line from `setter`). */
export interface ModerationChange {
  text: string;
  mode: string;
  setter: MemberInfo;
}

/** Answer to a nickname claim: the server's, or `unknown` when the shared state cannot be asked. */
export type NickClaim = 'granted' | 'taken' | 'unknown';

/** A member of another instance, as the shared state knows it. */
export interface RemoteSession {
  info: MemberInfo;
  instance: string;
  /** Keys of the rooms it is in. */
  rooms: string[];
}

/** What `/healthz` and `/metrics` say about the link. */
export interface ClusterHealth {
  status: 'up' | 'down';
  instance: string;
  /** When the link last changed state (epoch ms). */
  since: number;
  reconnects: number;
  remoteMembers: number;
  /** Why the link went down (the last connection error), while it is down. */
  error?: string;
}

/**
 * How the hub reaches the other instances of a scaled-out deployment (`--redis`): messages,
 * presence per room, nicknames (unique across instances) and direct messages. The hub calls these;
 * the link calls the hub back through ClusterSink. Everything here is fire-and-forget or reports
 * `unknown` when the shared state is unreachable: the hub then serves its own members alone.
 */
export interface ClusterLink {
  /** Names this instance in shared messages and presence. */
  readonly instance: string;
  /** True while messages can be published; false means "deliver locally, id 0". */
  readonly up: boolean;
  /**
   * Publishes a chat line. True: the link took it and hands it back through the sink's
   * `sharedMessage`: from Redis with its id, in one order for every instance; or, if Redis did
   * not store it in time, to this instance alone with id 0, after the sender's earlier lines.
   * False: the shared state is unreachable, the hub delivers it here alone.
   */
  publish(draft: SharedDraft): boolean;
  /**
   * Sends a direct message to a member of another instance. Resolves true once handed to the
   * shared state, false when it is unreachable (the sender is told it could not be delivered).
   */
  sendDirect(direct: SharedDirect, instance: string): Promise<boolean>;
  /** A local member connected, changed its name (with the key of the name it gave up) or left. */
  connected(member: MemberInfo, nickKey: string | null): void;
  renamed(member: MemberInfo, previous: string, nickKey: string | null, previousKey: string | null): void;
  disconnected(member: MemberInfo, nickKey: string | null, reason: string | undefined): void;
  /** A local member joined or left a room. */
  joinedRoom(room: RoomRef, member: MemberInfo): void;
  partedRoom(room: RoomRef, member: MemberInfo, reason: string | undefined): void;
  /** A room's topic changed here. */
  topicChanged(room: RoomRef, topic: string): void;
  /**
   * A room's operators, bans, mutes or locks changed here (`change` null: no announcement, e.g.
   * the founder made operator): recorded in Redis, and every instance applies it.
   */
  moderationChanged(room: RoomRef, state: ModerationState, change: ModerationChange | null): void;
  /** An operator here kicked a member of another instance (`instance`): that one removes it. */
  kickRemote(room: RoomRef, target: number, by: MemberInfo, reason: string): void;
  /** Asks the shared state for a nickname (unique across instances). */
  claimNick(nickKey: string, member: MemberInfo): Promise<NickClaim>;
  /** Gives up a claim that was granted but not used (the member left or lost a local race). */
  releaseNick(nickKey: string, member: MemberInfo): void;
  /** A member of another instance holding this nickname key, if any. */
  remoteByNick(nickKey: string): RemoteSession | undefined;
  health(): ClusterHealth;
}

/** What the link calls on the hub. */
export interface ClusterSink {
  /** A chat line from the shared stream (or one of ours with id 0). */
  sharedMessage(shared: SharedMessage): void;
  /** A direct message for a member of this instance. */
  directMessage(direct: SharedDirect): void;
  /** A member of another instance joined or left a room, or changed its name. */
  remoteJoined(room: RoomRef, member: MemberInfo, instance: string): void;
  remoteParted(room: RoomRef, memberId: number, reason: string | undefined): void;
  remoteRenamed(member: MemberInfo, previous: string): void;
  /** A room's topic changed on another instance. */
  remoteTopic(room: RoomRef, topic: string): void;
  /** A room's moderation changed on another instance (or was read again from Redis: `change` null). */
  remoteModeration(room: RoomRef, state: ModerationState, change: ModerationChange | null): void;
  /** An operator of another instance kicked a member of this one. */
  remoteKick(room: RoomRef, target: number, by: MemberInfo, reason: string): void;
  /** The shared history was replaced (Redis lost its data): pages start over. */
  historyReplaced(epoch: string): void;
  /** A local member's name turned out to be held elsewhere (claimed during a split). */
  nickLost(memberId: number): void;
}

/** A member of this instance, as the link re-registers it after a reconnect. */
export interface LocalMember {
  info: MemberInfo;
  nickKey: string | null;
  rooms: RoomRef[];
}

/** The hub as the link sees it: the sink, and its own members to re-register. */
export interface ClusterHub extends ClusterSink {
  localMembers(): LocalMember[];
}

export interface ClusterOptions {
  /** `redis://` or `rediss://`. */
  url: string;
  /** Prefix of every key and channel: instances with the same one form one server. */
  prefix: string;
  presenceTtlMs: number;
  /** A command Redis has not answered for this long has failed (`--redis-timeout`). */
  timeoutMs: number;
  /** Messages the shared history keeps (0 = all). */
  retainCount: number;
  /** Messages per room each instance keeps in memory for replay, resume and scroll-back. */
  window: number;
  logger: Logger;
}

/** The shared state, connected: the link, its history, and its lifecycle. */
export interface ClusterConnection extends ClusterLink {
  /** The shared history (ids and epoch from Redis), as the hub and `/history` read it. */
  readonly history: HistoryStore;
  /** Member ids of this instance start after this, so ids never clash across instances. */
  readonly memberIdBase: number;
  /** Starts sharing: registers presence, subscribes, reads the others; the hub is called back. */
  attach(hub: ClusterHub): Promise<void>;
  /** Leaves the shared state (the others announce this instance's members' leaves at once). */
  close(): Promise<void>;
}

/** What `server/cluster/redis-cluster.ts` exports; loaded only with `--redis`. */
export type ClusterConnector = (options: ClusterOptions) => Promise<ClusterConnection>;
