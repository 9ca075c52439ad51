import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MemberInfo } from '../../shared/events.js';
import type { ModerationState } from '../history/moderation-record.js';
import type { ClusterConnection, ClusterHealth, ClusterHub, ClusterOptions, ModerationChange, NickClaim, RemoteSession, SharedDirect, SharedDraft, SharedMessage } from '../hub/cluster-link.js';
import type { RoomRef } from '../message/outgoing-message.js';
import { DirectRoute, parseDirect } from './direct-route.js';
import { LinkSync } from './link-sync.js';
import { MirrorHistory } from './mirror-history.js';
import { OwnLines } from './own-lines.js';
import { parsePresenceEvent } from './presence-events.js';
import { RedisClock } from './redis-clock.js';
import { BACKOFF_MAX_MS, openRedis } from './redis-connection.js';
import { type RedisKeys, redisKeys } from './redis-keys.js';
import { defineScripts } from './redis-scripts.js';
import { RemoteRoster } from './remote-roster.js';
import { SharedPresence } from './shared-presence.js';
import { BLOCK_MS, SharedLogReader, type StreamMessage, toRecord } from './shared-log-reader.js';
import { SharedAccounts } from './shared-accounts.js';
import { SharedModeration } from './shared-moderation.js';
import { SharedRooms } from './shared-rooms.js';
import { memberOf, roomOf } from './wire-values.js';

/** Member ids of instance N are N × this + 1, 2, …: disjoint ranges, no coordination per join. */
export const MEMBER_ID_RANGE = 1_000_000_000;

/**
 * Several instances as one server through Redis (`--redis`). Chat lines of every room go into
 * one stream, appended by a script that gives them server-wide ids; every instance, the sender's
 * included, reads the stream and delivers in stream order. Presence (members and the rooms each
 * is in) lives in hashes with heartbeats (SharedPresence), topics in a hash (SharedRooms), and
 * direct messages go to the recipient's instance alone (DirectRoute). Three connections:
 * commands, the blocking stream read, and the subscription (presence events and direct messages).
 *
 * While Redis is unreachable each instance serves its own members alone (`up` is false); on
 * reconnect it re-registers its members, re-reads everyone else's (LinkSync), and the reader
 * catches up on the stream, so lines published meanwhile by other instances arrive late, not lost.
 */
export class RedisLink implements ClusterConnection {
  readonly instance: string;
  readonly memberIdBase: number;
  readonly history: MirrorHistory;
  readonly prefix: string;
  private readonly options: ClusterOptions;
  private readonly keys: RedisKeys;
  private readonly log: Logger;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly reader: SharedLogReader;
  private readonly presence: SharedPresence;
  private readonly rooms: SharedRooms;
  private readonly moderation: SharedModeration;
  private readonly accounts: SharedAccounts;
  private readonly direct: DirectRoute;
  private readonly roster: RemoteRoster;
  private readonly clock: RedisClock;
  private readonly own: OwnLines;
  private readonly sync: LinkSync;
  private hub: ClusterHub | null = null;
  private ready = false;
  private since = Date.now();
  private reconnects = 0;
  private lastError: string | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(options: ClusterOptions, commands: Redis, instanceNumber: number, epoch: string) {
    this.options = options;
    this.prefix = options.prefix;
    this.keys = redisKeys(options.prefix);
    this.log = options.logger;
    this.commands = commands;
    this.instance = `i${instanceNumber}`;
    this.memberIdBase = instanceNumber * MEMBER_ID_RANGE;
    this.clock = new RedisClock(this.fenceMs / 4);
    this.own = new OwnLines(this.instance, this.ownLineShownHere);
    commands.on('error', this.commandsError);
    this.subscriber = commands.duplicate();
    this.subscriber.on('error', function subscriberRedisError() {
      // The commands connection reports outages; this one reconnects and resubscribes by itself.
    });
    // XREAD waits up to BLOCK_MS for news: only silence past that and the timeout means a dead Redis.
    const reader = commands.duplicate({ socketTimeout: BLOCK_MS + options.timeoutMs, commandTimeout: undefined });
    this.reader = new SharedLogReader(reader, this.keys.log, this.log, this.readerDelivered);
    const writable = () => this.writable;
    this.presence = new SharedPresence(commands, this.keys, this.instance, options.presenceTtlMs, BACKOFF_MAX_MS + options.timeoutMs, this.clock, this.log, writable);
    this.rooms = new SharedRooms(commands, this.keys, this.instance, this.log, writable);
    this.moderation = new SharedModeration(commands, this.keys, this.instance, this.log, writable);
    this.accounts = new SharedAccounts(commands, this.keys, this.instance, this.log);
    this.direct = new DirectRoute(commands, this.keys, this.log);
    this.roster = new RemoteRoster(() => this.hub);
    this.history = new MirrorHistory({ epoch, window: options.window, onNewRoom: (room) => this.rooms.created(room), accounts: this.accounts });
    this.sync = new LinkSync({
      commands,
      keys: this.keys,
      instanceNumber,
      presenceTtlMs: options.presenceTtlMs,
      log: this.log,
      presence: this.presence,
      rooms: this.rooms,
      moderation: this.moderation,
      accounts: this.accounts,
      roster: this.roster,
      history: this.history,
      own: this.own,
      reader: this.reader,
      hub: () => this.hub,
      closed: () => this.closed,
      setReady: (ready) => this.setReady(ready),
    });
  }

  /**
   * Connects, takes an instance number and the history epoch, and loads the newest messages of
   * every room (as much as the mirror holds) and every room's name and topic. Rejects (and the
   * server does not start) if Redis cannot be reached.
   */
  static async connect(options: ClusterOptions): Promise<RedisLink> {
    const commands = await openRedis(options.url, options.timeoutMs);
    defineScripts(commands);
    const keys = redisKeys(options.prefix);
    const instanceNumber = await commands.incr(keys.instanceSeq);
    const epoch = await commands.sbEpoch(keys.epoch, keys.instanceSeq, randomBytes(8).toString('hex'), String(instanceNumber));
    const link = new RedisLink(options, commands, instanceNumber, epoch);
    const newest = await link.reader.readBack((message) => link.history.preload(message.room, toRecord(message)));
    link.history.finishPreload(newest);
    for (const room of await link.rooms.loadAll()) link.history.learnRoom(room, true);
    for (const { key, state } of await link.moderation.loadAll()) link.history.saveModeration(key, state);
    await link.accounts.loadAll();
    return link;
  }

  get up(): boolean {
    return this.ready;
  }

  health(): ClusterHealth {
    const health: ClusterHealth = { status: this.ready ? 'up' : 'down', instance: this.instance, since: this.since, reconnects: this.reconnects, remoteMembers: this.roster.size };
    if (!this.ready && this.lastError !== null) health.error = this.lastError;
    return health;
  }

  /** Starts sharing: subscribes, registers presence, reads everyone else, starts reading the stream. */
  async attach(hub: ClusterHub): Promise<void> {
    this.hub = hub;
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.keys.presence, this.direct.channelOf(this.instance));
    this.subscriber.on('message', this.subscriberMessage);
    // Events published while the subscription was down are gone: read the state instead.
    this.subscriber.on('ready', this.rereadLater);
    await this.sync.soon();
    this.commands.on('ready', this.commandsReady);
    this.commands.on('close', this.commandsClosed);
    this.reader.start(this.history.lastId);
    this.heartbeatTimer = setInterval(this.heartbeat, this.sync.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /**
   * Sends the line to Redis with a deadline (half the timeout, on Redis's clock) past which Redis
   * refuses it: a line the link gave up on is shown here with id 0 and must not turn up on the
   * other instances seconds later. It comes back through the stream, or through `own` with id 0.
   */
  publish(draft: SharedDraft): boolean {
    if (!this.ready) return false;
    const nonce = this.own.send(draft);
    const entry = JSON.stringify({ room: roomOf(draft.room), kind: draft.kind, time: draft.time, text: draft.text, from: memberOf(draft.from), instance: this.instance, n: nonce });
    const deadline = String(this.clock.deadline(this.fenceMs));
    this.commands.sbPublish(this.keys.seq, this.keys.log, String(this.options.retainCount), deadline, entry).then(
      (id) => this.own.answered(nonce, id > 0 ? id : null),
      (error: unknown) => {
        this.log.debug({ err: error }, 'publish failed; the line is shown here with id 0');
        this.own.answered(nonce, null);
      },
    );
    return true;
  }

  sendDirect(direct: SharedDirect, instance: string): Promise<boolean> {
    if (!this.ready) return Promise.resolve(false);
    return this.direct.send(direct, instance);
  }

  // Presence writes go out whenever the connection is up, synchronized or not: a change made while
  // this instance re-registers (a name lost on reconnect) is written at once, in order with the rest.

  connected(member: MemberInfo, nickKey: string | null): void {
    this.presence.connected(member, nickKey);
  }

  renamed(member: MemberInfo, previous: string, nickKey: string | null, previousKey: string | null): void {
    this.presence.renamed(member, previous, nickKey, previousKey);
  }

  disconnected(member: MemberInfo, nickKey: string | null, reason: string | undefined): void {
    this.presence.disconnected(member, nickKey, reason);
  }

  joinedRoom(room: RoomRef, member: MemberInfo): void {
    this.presence.joinedRoom(room, member);
  }

  partedRoom(room: RoomRef, member: MemberInfo, reason: string | undefined): void {
    this.presence.partedRoom(room, member, reason);
  }

  topicChanged(room: RoomRef, topic: string): void {
    this.rooms.topicChanged(room, topic);
  }

  moderationChanged(room: RoomRef, state: ModerationState, change: ModerationChange | null): void {
    this.moderation.changed(room, state, change);
  }

  kickRemote(room: RoomRef, target: number, by: MemberInfo, reason: string): void {
    if (this.ready) this.moderation.kick(room, target, by, reason);
  }

  claimNick(nickKey: string, member: MemberInfo): Promise<NickClaim> {
    return this.presence.claimNick(nickKey, member);
  }

  releaseNick(nickKey: string, member: MemberInfo): void {
    this.presence.releaseNick(nickKey, member);
  }

  remoteByNick(nickKey: string): RemoteSession | undefined {
    return this.roster.byNick(nickKey);
  }

  /** Graceful shutdown: leave at once (the others announce the leaves), then disconnect. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.commands.off('close', this.commandsClosed);
    this.roster.stop();
    await this.reader.stop();
    if (this.ready && this.hub !== null) {
      await this.presence.unregister(this.hub.localMembers()).catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not remove this instance from Redis; its members expire with the presence TTL');
      });
    }
    this.ready = false;
    this.subscriber.disconnect();
    this.commands.disconnect();
  }

  /**
   * How long after sending a publish Redis may still store it (on its clock): half the timeout,
   * so that the estimate of Redis's clock may be off by up to half of it.
   */
  private get fenceMs(): number {
    return this.options.timeoutMs / 2;
  }

  private get writable(): boolean {
    return this.commands.status === 'ready' && !this.closed;
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.since = Date.now();
    if (ready) this.log.info({ instance: this.instance }, 'shared state (Redis) connected');
    else this.log.warn({ instance: this.instance, reason: this.lastError }, 'shared state (Redis) unreachable: serving local members only, reconnecting');
  }

  private readonly commandsReady = (): void => {
    this.reconnects += 1;
    this.sync.resynchronize();
  };

  private readonly commandsError = (error: Error): void => {
    this.lastError = error.message;
  };

  /** Lines not back from the stream yet will not come while Redis is away: shown here now, id 0. */
  private readonly commandsClosed = (): void => {
    this.setReady(false);
    this.own.flush();
  };

  private readonly rereadLater = (): void => {
    if (this.ready && !this.closed) this.sync.rereadLater(true);
  };

  private readonly heartbeat = (): void => {
    if (!this.ready) {
      // Connected but not synchronized: the last attempt failed (a Redis error, not an outage).
      if (this.writable && !this.sync.running) this.sync.resynchronize();
      return;
    }
    this.presence
      .heartbeat()
      .then((dropped) => {
        // Dropped: this instance was silent past the TTL (a long pause) and others reaped it.
        if (dropped) return this.sync.soon();
        return this.presence.reap().then(() => undefined);
      })
      .catch((error: unknown) => {
        this.log.debug({ err: error }, 'presence heartbeat failed');
      });
  };

  /** Every line, of every room, in stream order: kept in the mirror (rooms held here or not), then delivered. */
  private readonly readerDelivered = (message: StreamMessage): void => {
    this.history.learnRoom({ key: message.room.key, name: message.room.name, topic: '' }, false);
    this.history.append(message.room.key, toRecord(message));
    // Shown here with id 0 already: stored after all, so kept like every instance keeps it.
    if (message.instance === this.instance && !this.own.arrived(message.nonce)) return;
    this.hub?.sharedMessage(message);
  };

  private readonly ownLineShownHere = (message: SharedMessage): void => {
    this.hub?.sharedMessage(message);
  };

  private readonly subscriberMessage = (channel: string, raw: string): void => {
    if (this.hub === null) return;
    if (channel !== this.keys.presence) {
      const direct = parseDirect(raw);
      if (direct !== null) this.hub.directMessage(direct);
      else this.log.warn('skipping a malformed direct message');
      return;
    }
    const event = parsePresenceEvent(raw);
    if (event === null || event.instance === this.instance) return;
    if (event.type === 'resync') this.sync.rereadLater(false);
    else if (event.type === 'topic') this.sync.topicFromElsewhere(event.room, event.topic);
    else if (event.type === 'moderation') this.sync.moderationFromElsewhere(event.room, event.state, event.change);
    else if (event.type === 'account') this.accounts.changedElsewhere(event.key);
    else if (event.type === 'kick') this.hub.remoteKick(event.room, event.target, event.by, event.reason);
    else this.roster.apply(event);
  };
}
