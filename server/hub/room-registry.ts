import type { RoomInfo } from '../../shared/events.js';
import { prepareRoomName, roomKey, roomNameProblem } from '../../shared/room-name.js';
import { Channel, type ChannelHost } from '../channel/channel.js';
import type { HistoryStore } from '../history/history-store.js';

export interface RoomRegistryOptions {
  host: ChannelHost;
  store: HistoryStore | null;
  joinHistory: number;
  presenceDelayMs: number;
  maxRooms: number;
  emptyRoomTtlMs: number;
  defaultRoom: string;
}

/** A room name, checked: its channel, or why there is none. */
export type RoomLookup = { channel: Channel; created: boolean } | { refusal: string };

/**
 * The rooms this instance holds, by key. A room is made on its first join (with the name and topic
 * the store remembers, if it knows it) and forgotten once it has been empty for a while; its
 * history stays in the store, and joining it again brings it back as it was. The default room is
 * never forgotten.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Channel>();
  private readonly options: RoomRegistryOptions;
  private readonly noStoreEpoch = `none-${Math.random().toString(36).slice(2)}`;
  readonly defaultRoom: Channel;

  constructor(options: RoomRegistryOptions) {
    this.options = options;
    const made = this.open(options.defaultRoom);
    if (!('channel' in made)) throw new Error(`--default-room: ${made.refusal}`);
    this.defaultRoom = made.channel;
  }

  get size(): number {
    return this.rooms.size;
  }

  values(): IterableIterator<Channel> {
    return this.rooms.values();
  }

  /** The room by any spelling of its name, if this instance holds it. */
  find(name: string): Channel | undefined {
    return this.rooms.get(roomKey(prepareRoomName(name)));
  }

  /** The room, made if new (within `--max-rooms`); a name that is not a room name is refused. */
  open(asked: string): RoomLookup {
    const name = prepareRoomName(asked);
    const problem = roomNameProblem(name);
    if (problem !== null) return { refusal: `${asked} is not a room name: ${problem}` };
    const key = roomKey(name);
    const known = this.rooms.get(key);
    if (known !== undefined) return { channel: known, created: false };
    if (this.rooms.size >= this.options.maxRooms) {
      return { refusal: `the server holds ${this.options.maxRooms} rooms, its limit; join one of them (/rooms)` };
    }
    const stored = this.options.store?.room(key);
    const channel = new Channel({
      room: { name: stored?.name ?? name, key },
      topic: stored?.topic ?? '',
      host: this.options.host,
      store: this.options.store,
      joinHistory: this.options.joinHistory,
      presenceDelayMs: this.options.presenceDelayMs,
      noStoreEpoch: this.noStoreEpoch,
      moderation: this.options.store?.moderation?.(key),
    });
    if (stored === undefined) this.options.store?.saveRoom({ key, name, topic: '' });
    this.rooms.set(key, channel);
    return { channel, created: stored === undefined };
  }

  /** Keeps a room's operators, bans, mutes and locks in the store (after each change). */
  rememberModeration(channel: Channel): void {
    this.options.store?.saveModeration?.(channel.key, channel.moderation.state());
  }

  /** Keeps a room's name and topic in the store, so a restart finds it as it was. */
  remember(channel: Channel): void {
    this.options.store?.saveRoom({ key: channel.key, name: channel.name, topic: channel.topic });
  }

  /** The rooms, busiest first, at most `limit`. */
  list(limit: number): RoomInfo[] {
    return [...this.rooms.values()]
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, limit)
      .map((channel) => channel.info());
  }

  /** Forgets rooms empty for longer than `--empty-room-ttl` (never the default one). */
  sweep(now: number): number {
    let forgotten = 0;
    for (const [key, channel] of this.rooms) {
      if (channel === this.defaultRoom || channel.emptySince === null || channel.count > 0) continue;
      if (now - channel.emptySince < this.options.emptyRoomTtlMs) continue;
      channel.stop();
      this.rooms.delete(key);
      forgotten += 1;
    }
    return forgotten;
  }

  stop(): void {
    for (const channel of this.rooms.values()) channel.stop();
  }
}
