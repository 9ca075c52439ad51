import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ModerationState } from '../history/moderation-record.js';
import { sameModeration } from '../history/moderation-record.js';
import type { ClusterHub, LocalMember, ModerationChange } from '../hub/cluster-link.js';
import type { RoomRef } from '../message/outgoing-message.js';
import type { MirrorHistory } from './mirror-history.js';
import type { OwnLines } from './own-lines.js';
import { BACKOFF_MAX_MS } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import type { RemoteRoster } from './remote-roster.js';
import type { SharedLogReader } from './shared-log-reader.js';
import type { SharedAccounts } from './shared-accounts.js';
import type { SharedModeration } from './shared-moderation.js';
import { sameMembers, type SharedPresence } from './shared-presence.js';
import type { SharedRooms } from './shared-rooms.js';

/** Why a member missing after a resync is announced as gone (once its grace ran out). */
export const GONE_WHILE_SPLIT = 'gone while Redis was unreachable';

export interface LinkSyncParts {
  commands: Redis;
  keys: RedisKeys;
  instanceNumber: number;
  presenceTtlMs: number;
  log: Logger;
  presence: SharedPresence;
  rooms: SharedRooms;
  moderation: SharedModeration;
  accounts: SharedAccounts;
  roster: RemoteRoster;
  history: MirrorHistory;
  own: OwnLines;
  reader: SharedLogReader;
  hub: () => ClusterHub | null;
  closed: () => boolean;
  setReady: (ready: boolean) => void;
}

/**
 * (Re)joining the shared state after a start or a reconnect: the same history epoch or a new one,
 * this instance's members and their rooms written again, the topics set here meanwhile sent,
 * everyone else's members and every room's topic read again. Until it finishes, chat stays local
 * (`up` is false). One runs at a time; one asked for meanwhile runs right after.
 */
export class LinkSync {
  private syncing: Promise<void> | null = null;
  private syncAgain = false;

  constructor(private readonly parts: LinkSyncParts) {}

  get running(): boolean {
    return this.syncing !== null;
  }

  get heartbeatMs(): number {
    return Math.max(100, Math.floor(this.parts.presenceTtlMs / 3));
  }

  /**
   * How long a member missing after a resync stays listed: the presence TTL (the longest a silent
   * instance's members are listed anyway) plus the longest reconnection delay, by which every
   * instance that can reach Redis again has re-registered.
   */
  get leaveGraceMs(): number {
    return this.parts.presenceTtlMs + BACKOFF_MAX_MS;
  }

  /** Runs a synchronization, or joins the one running (and has it run once more after). */
  soon(): Promise<void> {
    if (this.syncing !== null) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = async (): Promise<void> => {
      try {
        for (;;) {
          this.syncAgain = false;
          const failure = await this.synchronize().then(
            () => null,
            (error: unknown) => ({ error }),
          );
          if (!this.syncAgain || this.parts.closed()) {
            if (failure !== null) throw failure.error;
            return;
          }
        }
      } finally {
        this.syncing = null;
      }
    };
    this.syncing = run();
    return this.syncing;
  }

  resynchronize(): void {
    this.soon().catch((error: unknown) => {
      this.parts.log.warn({ err: error }, 'resynchronizing with Redis failed; will retry');
    });
  }

  /** Re-reads the other instances' members (and every room's topic: `withRooms`), in the background. */
  rereadLater(withRooms: boolean): void {
    if (this.parts.closed()) return;
    const reread = withRooms ? Promise.all([this.rereadOthers(), this.rereadRooms(), this.rereadModeration()]) : this.rereadOthers();
    reread.catch((error: unknown) => this.parts.log.debug({ err: error }, 'presence resync failed'));
  }

  /** Another instance set a room's topic: every instance shows it, and this one keeps it for later opens. */
  topicFromElsewhere(room: RoomRef, topic: string): void {
    this.parts.rooms.noteChange(room.key);
    this.parts.history.learnRoom({ key: room.key, name: room.name, topic }, true);
    this.parts.hub()?.remoteTopic(room, topic);
  }

  /** Another instance changed a room's moderation: applied here, and kept for when the room opens here. */
  moderationFromElsewhere(room: RoomRef, state: ModerationState, change: ModerationChange | null): void {
    this.parts.moderation.noteChange(room.key);
    this.parts.history.saveModeration(room.key, state);
    this.parts.hub()?.remoteModeration(room, state, change);
  }

  private async synchronize(): Promise<void> {
    const { commands, keys, history, own, reader, rooms, log } = this.parts;
    const hub = this.parts.hub();
    if (hub === null) return;
    const epoch = await commands.sbEpoch(keys.epoch, keys.instanceSeq, randomBytes(8).toString('hex'), String(this.parts.instanceNumber));
    if (epoch !== history.epoch) {
      log.warn({ previous: history.epoch, epoch }, 'Redis lost the shared history (new epoch); pages start over');
      own.forget();
      history.replace(epoch);
      reader.restartFrom(0);
      hub.historyReplaced(epoch);
      // Its rooms went too: each instance writes what it knows, the first one's entry stays.
      await rooms.rewrite(history.knownRooms());
    }
    let written = await this.registerOwn(hub);
    await rooms.sendUnsent();
    await this.parts.moderation.sendUnsent();
    await this.rereadOthers();
    await this.rereadRooms();
    await this.rereadModeration();
    // Accounts registered elsewhere while this instance could not hear it.
    await this.parts.accounts.loadAll();
    this.parts.setReady(true);
    // A name taken or a room joined while this ran was written or checked locally only (the link
    // was not up): register again until what Redis holds is what the hub has.
    for (let pass = 0; pass < 3 && !sameMembers(written, hub.localMembers()); pass += 1) written = await this.registerOwn(hub);
    // Instances that come back after us re-register later; their `resync` event may reach our
    // subscriber before it has resubscribed. One more read a heartbeat later settles it.
    setTimeout(this.rereadAfterBeat, this.heartbeatMs).unref();
  }

  private readonly rereadAfterBeat = (): void => {
    this.rereadLater(false);
  };

  /**
   * Writes this instance's members: alive first, then the member entries (with their rooms), then
   * the names. A member whose name is now held elsewhere goes back to its address (`nickLost`,
   * whose rename is written at once) before the others are told to re-read, so none of them reads
   * two holders of one name. Entries go before claims: a claim whose holder has no entry counts
   * as stale. Returns what Redis now holds.
   */
  private async registerOwn(hub: ClusterHub): Promise<LocalMember[]> {
    const { presence } = this.parts;
    await presence.heartbeat();
    const members = hub.localMembers();
    await presence.writeMembers(members);
    const refused = await presence.claimNicks(members);
    // Only if the member still has the name it was refused (it may have changed it meanwhile:
    // then the pass after this one claims the new name).
    const keyNow = new Map(hub.localMembers().map((member) => [member.info.id, member.nickKey]));
    const lost = new Set(refused.filter((id) => keyNow.get(id) === members.find((member) => member.info.id === id)?.nickKey));
    for (const id of lost) hub.nickLost(id);
    await presence.announceResync();
    const now = new Map(hub.localMembers().map((member) => [member.info.id, member]));
    return members.map((member) => (lost.has(member.info.id) ? (now.get(member.info.id) ?? member) : member));
  }

  /**
   * Everyone else's members, from their hashes, replace what this instance knew: new members and
   * rooms are announced, new names applied; a member missing is announced as gone only if it is
   * still missing after the grace.
   */
  private async rereadOthers(): Promise<void> {
    const { roster, presence } = this.parts;
    const mark = roster.beginRead();
    try {
      const members = await presence.everyoneElse();
      if (!this.parts.closed()) roster.replaceAll(members, GONE_WHILE_SPLIT, this.leaveGraceMs, mark);
    } finally {
      roster.endRead();
    }
  }

  /** Every room's topic from Redis: one changed while this instance could not hear it is shown now. */
  private async rereadRooms(): Promise<void> {
    const { history, rooms } = this.parts;
    const mark = rooms.mark;
    for (const room of await rooms.loadAll()) {
      if (rooms.changedSince(room.key, mark)) continue;
      const known = history.room(room.key);
      history.learnRoom(room, true);
      if (known !== undefined && known.topic !== room.topic) this.parts.hub()?.remoteTopic(room, room.topic);
    }
  }

  /** Every room's moderation from Redis: a change made while this instance could not hear it applies now. */
  private async rereadModeration(): Promise<void> {
    const { history, moderation } = this.parts;
    const mark = moderation.mark;
    for (const { key, state } of await moderation.loadAll()) {
      if (moderation.changedSince(key, mark)) continue;
      const known = history.moderation(key);
      if (known !== undefined && sameModeration(known, state)) continue;
      history.saveModeration(key, state);
      const name = history.room(key)?.name ?? key;
      this.parts.hub()?.remoteModeration({ key, name }, state, null);
    }
  }
}
