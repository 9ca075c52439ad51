import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { MemberInfo } from '../../shared/events.js';
import type { Room } from '../room/room.js';
import type { NickClaim, RoomLink, SharedDraft, SharedMessage } from '../room/room-link.js';
import { MirrorHistory } from './mirror-history.js';
import { type RedisKeys, redisKeys } from './redis-keys.js';
import { defineScripts } from './redis-scripts.js';
import { parsePresenceEvent, type PresenceEvent, SharedPresence } from './shared-presence.js';
import { SharedLogReader } from './shared-log-reader.js';

/** Member ids of instance N are N × this + 1, 2, …: disjoint ranges, no coordination per join. */
export const MEMBER_ID_RANGE = 1_000_000_000;
/** Longest wait between reconnection attempts. */
const BACKOFF_MAX_MS = 5_000;

export interface RedisLinkOptions {
  url: string;
  prefix: string;
  /** Milliseconds a silent instance's members stay listed; heartbeats run every third of it. */
  presenceTtlMs: number;
  /** Stream length kept in Redis (`--history-retain` as a count); 0 keeps everything. */
  retainCount: number;
  /** Messages each instance keeps in memory for replay, resume and scroll-back. */
  window: number;
  logger: Logger;
}

/** What /healthz and /metrics say about the link. */
export interface RedisHealth {
  status: 'up' | 'down';
  instance: string;
  /** When the link last changed state (epoch ms). */
  since: number;
  reconnects: number;
  remoteMembers: number;
}

/** Exponential backoff with jitter, capped: a Redis restart is not met by a thundering herd. */
function retryDelay(attempt: number): number {
  const base = Math.min(BACKOFF_MAX_MS, 100 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * The room shared through Redis (`--redis`). Chat lines are appended to a stream by a script
 * that gives them room-wide ids; every instance, the sender's included, reads the stream and
 * delivers in stream order. Presence lives in hashes with heartbeats (see SharedPresence).
 * Three connections: commands, the blocking stream read, and the presence subscription.
 *
 * While Redis is unreachable the room serves its own members alone (`up` is false); on reconnect
 * the link re-registers its members, re-reads everyone else's, and the reader catches up on the
 * stream, so messages published meanwhile by other instances are delivered late, not lost.
 */
export class RedisLink implements RoomLink {
  readonly instance: string;
  readonly memberIdBase: number;
  private readonly instanceNumber: number;
  readonly history: MirrorHistory;
  private readonly options: RedisLinkOptions;
  private readonly keys: RedisKeys;
  private readonly log: Logger;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly reader: SharedLogReader;
  private readonly presence: SharedPresence;
  private room: Room | null = null;
  private ready = false;
  private since = Date.now();
  private reconnects = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(options: RedisLinkOptions, commands: Redis, instanceNumber: number, epoch: string) {
    this.options = options;
    this.keys = redisKeys(options.prefix);
    this.log = options.logger;
    this.commands = commands;
    this.instanceNumber = instanceNumber;
    this.instance = `i${instanceNumber}`;
    this.memberIdBase = instanceNumber * MEMBER_ID_RANGE;
    this.history = new MirrorHistory(epoch, options.window);
    this.subscriber = commands.duplicate();
    this.subscriber.on('error', function subscriberRedisError() {
      // The commands connection reports outages; this one reconnects and resubscribes by itself.
    });
    this.reader = new SharedLogReader(commands.duplicate(), this.keys.log, this.log, this.readerDelivered);
    this.presence = new SharedPresence(commands, this.keys, this.instance, options.presenceTtlMs, this.log);
  }

  /**
   * Connects, takes an instance number and the history epoch, and loads the newest `window`
   * messages. Rejects (and the server does not start) if Redis cannot be reached.
   */
  static async connect(options: RedisLinkOptions): Promise<RedisLink> {
    const clientOptions: RedisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5_000,
      retryStrategy: retryDelay,
    };
    const commands = new Redis(options.url, clientOptions);
    let lastError: Error | null = null;
    commands.on('error', function redisError(error: Error) {
      // Outages are reported through 'close' / 'ready'; the error itself says why a start failed.
      lastError = error;
    });
    const failure = await commands.connect().then(
      () => null,
      (error: unknown) => error as Error,
    );
    if (failure !== null) {
      commands.disconnect();
      const why = (lastError as Error | null)?.message ?? failure.message;
      throw new Error(`cannot reach Redis at ${options.url}: ${why}`);
    }
    defineScripts(commands);
    const keys = redisKeys(options.prefix);
    const instanceNumber = await commands.incr(keys.instanceSeq);
    const epoch = await commands.sbEpoch(keys.epoch, keys.instanceSeq, randomBytes(8).toString('hex'), String(instanceNumber));
    const link = new RedisLink(options, commands, instanceNumber, epoch);
    link.history.replace(epoch, await link.reader.newest(options.window));
    return link;
  }

  /** The key prefix: instances with the same one share a room. */
  get prefix(): string {
    return this.options.prefix;
  }

  get up(): boolean {
    return this.ready;
  }

  health(): RedisHealth {
    return { status: this.ready ? 'up' : 'down', instance: this.instance, since: this.since, reconnects: this.reconnects, remoteMembers: this.room?.remote.size ?? 0 };
  }

  /** Joins the room: registers presence, subscribes, reads everyone else, starts reading the stream. */
  async attach(room: Room): Promise<void> {
    this.room = room;
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.keys.presence);
    this.subscriber.on('message', this.presenceMessage);
    // Events published while the subscription was down are gone: read the state instead.
    this.subscriber.on('ready', this.rereadOthersLater);
    await this.synchronize();
    this.commands.on('ready', this.commandsReady);
    this.commands.on('close', this.commandsClosed);
    this.reader.start(this.history.lastId);
    this.heartbeatTimer = setInterval(this.heartbeat, this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  async publish(draft: SharedDraft): Promise<boolean> {
    if (!this.ready) return false;
    try {
      await this.commands.sbPublish(this.keys.seq, this.keys.log, String(this.options.retainCount), JSON.stringify({ ...draft, instance: this.instance }));
      return true;
    } catch {
      return false;
    }
  }

  joined(member: MemberInfo, nickKey: string | null): void {
    if (this.ready) this.presence.joined(member, nickKey);
  }

  renamed(member: MemberInfo, previous: string, nickKey: string | null, previousKey: string | null): void {
    if (this.ready) this.presence.renamed(member, previous, nickKey, previousKey);
  }

  left(member: MemberInfo, nickKey: string | null, reason: string | undefined): void {
    if (this.ready) this.presence.left(member, nickKey, reason);
  }

  claimNick(nickKey: string, member: MemberInfo): Promise<NickClaim> {
    return this.presence.claimNick(nickKey, member);
  }

  releaseNick(nickKey: string, member: MemberInfo): void {
    if (this.ready) this.presence.releaseNick(nickKey, member);
  }

  /** Graceful shutdown: leave the shared room at once (others announce the leaves), then disconnect. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.commands.off('close', this.commandsClosed);
    await this.reader.stop();
    if (this.ready && this.room !== null) {
      await this.presence.unregister(this.room.localMembers()).catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not remove this instance from Redis; its members expire with the presence TTL');
      });
    }
    this.ready = false;
    this.subscriber.disconnect();
    this.commands.disconnect();
  }

  /**
   * (Re)joins the shared room: same history epoch or a new one, this instance's members written
   * again, everyone else's read again. Until it finishes, chat stays local (`up` is false).
   */
  private async synchronize(): Promise<void> {
    const room = this.room!;
    const epoch = await this.commands.sbEpoch(this.keys.epoch, this.keys.instanceSeq, randomBytes(8).toString('hex'), String(this.instanceNumber));
    if (epoch !== this.history.epoch) {
      this.log.warn({ previous: this.history.epoch, epoch }, 'Redis lost the shared history (new epoch); pages start over');
      this.history.replace(epoch, []);
      this.reader.restartFrom(0);
      room.historyReplaced(epoch);
    }
    const lost = await this.presence.register(room.localMembers());
    for (const id of lost) room.nickLost(id);
    await this.rereadOthers();
    this.setReady(true);
    // Instances that come back after us re-register later; their `resync` event may reach our
    // subscriber before it has resubscribed. One more read a heartbeat later settles it.
    setTimeout(this.rereadOthersLater, this.heartbeatMs).unref();
  }

  /** Everyone else's members, from their hashes, replace what this instance knew. */
  private async rereadOthers(): Promise<void> {
    const members = await this.presence.everyoneElse();
    this.room?.remote.replaceAll(members, 'gone while the shared room was unreachable');
  }

  private readonly rereadOthersLater = (): void => {
    if (!this.ready || this.closed) return;
    this.rereadOthers().catch((error: unknown) => this.log.debug({ err: error }, 'presence resync failed'));
  };

  private get heartbeatMs(): number {
    return Math.max(100, Math.floor(this.options.presenceTtlMs / 3));
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.since = Date.now();
    if (ready) this.log.info({ instance: this.instance }, 'shared room (Redis) connected');
    else this.log.warn({ instance: this.instance }, 'shared room (Redis) unreachable: serving local members only, reconnecting');
  }

  private readonly commandsReady = (): void => {
    this.reconnects += 1;
    this.synchronize().catch((error: unknown) => {
      this.log.warn({ err: error }, 'resynchronizing with Redis failed; will retry on the next reconnect');
    });
  };

  private readonly commandsClosed = (): void => {
    this.setReady(false);
  };

  private readonly heartbeat = (): void => {
    if (!this.ready) return;
    this.presence
      .heartbeat()
      .then((dropped) => {
        // Dropped: this instance was silent past the TTL (a long pause) and others reaped it.
        if (dropped) return this.synchronize();
        return this.presence.reap().then(() => undefined);
      })
      .catch((error: unknown) => {
        this.log.debug({ err: error }, 'presence heartbeat failed');
      });
  };

  private readonly readerDelivered = (message: SharedMessage): void => {
    this.room?.sharedMessage(message);
  };

  private readonly presenceMessage = (_channel: string, raw: string): void => {
    const event = parsePresenceEvent(raw);
    if (event === null || event.instance === this.instance || this.room === null) return;
    this.applyPresence(this.room, event);
  };

  private applyPresence(room: Room, event: PresenceEvent): void {
    switch (event.type) {
      case 'join':
        room.remote.joined(event.member, event.instance);
        return;
      case 'leave':
        room.remote.left(event.member.id, event.reason);
        return;
      case 'nick':
        room.remote.renamed(event.member, event.previous);
        return;
      case 'gone':
        room.remote.instanceGone(event.instance, 'instance gone');
        return;
      case 'resync':
        this.rereadOthersLater();
        return;
    }
  }
}
