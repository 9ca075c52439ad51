import type { ClientEvent } from '../../shared/events.js';
import type { ConversationView } from './conversation-view.js';
import type { Conversations } from './conversations.js';
import { looseRoomKey } from './room-names.js';
import type { Route } from './room-route.js';

/**
 * Which rooms the page asks to be in, and which conversation it shows when they come. A new
 * connection puts the page in the default room only (resumed through `/ws?after=&epoch=`), so on
 * every welcome the page re-joins each other room it was in, each from the last id it saw there;
 * after a reload it joins the rooms it remembered. A room a person asked for (the join form, a
 * typed `/join`, a fragment) is shown once the server says the page is in it.
 */
export class RoomJoins {
  /** Rooms asked for on this connection and not answered yet (loose keys): never asked twice. */
  private readonly asked = new Set<string>();
  /** The room to show once joined (loose key), and whether to move focus there. */
  private wanted: { key: string; focus: boolean } | null = null;
  /** The default room's loose key: the server puts every connection in it unasked. */
  private defaultKey: string | null = null;

  constructor(
    private readonly conversations: Conversations,
    private readonly send: (event: ClientEvent) => boolean,
  ) {}

  /**
   * A new connection (first, reconnect): join every room the page has a view of (after a reload,
   * the remembered ones: main.ts), but the default room, which the server has already put it in.
   */
  onWelcome(defaultRoom: string): void {
    this.asked.clear();
    const defaultKey = looseRoomKey(defaultRoom);
    this.defaultKey = defaultKey;
    for (const { room: name } of this.conversations.rooms()) {
      const key = looseRoomKey(name);
      if (key === defaultKey || this.asked.has(key)) continue;
      if (this.send(this.joinEvent(name))) this.asked.add(key);
    }
  }

  /**
   * A person asked for a room: shown at once when the page is in it, else joined and shown when
   * the server answers. 'offline' when there is no connection to ask on.
   */
  request(name: string, focus: boolean): 'sent' | 'shown' | 'offline' {
    const existing = this.conversations.roomLoosely(name);
    if (existing?.joined === true) {
      this.conversations.select(existing, focus);
      return 'shown';
    }
    const key = looseRoomKey(name);
    this.wanted = { key, focus };
    if (this.asked.has(key)) return 'sent';
    if (!this.send(this.joinEvent(existing?.room ?? name))) return 'offline';
    this.asked.add(key);
    return 'sent';
  }

  /**
   * `/join ROOM` typed in a message box and sent as typed: the room is shown when the server
   * answers (`joined`, or "you are in" when the page is in it already).
   */
  typed(name: string): void {
    this.wanted = { key: looseRoomKey(name), focus: true };
  }

  /** The conversation a fragment names: a room (joined if need be) or direct messages with someone. */
  applyRoute(route: Route | null, focus: boolean): void {
    if (route === null) return;
    if (route.kind === 'dm') {
      this.conversations.select(this.conversations.dm(route.peer) ?? this.conversations.openDm(route.peer), focus);
      return;
    }
    const view = this.conversations.roomLoosely(route.room);
    if (view !== undefined) {
      // Shown at once (a remembered room is listed before it is joined again); joined if need be.
      this.conversations.select(view, focus);
      if (!view.joined && !view.isDefault) this.request(view.room, focus);
      return;
    }
    if (view === undefined && looseRoomKey(route.room) === this.defaultKey) {
      // The default room's `joined` is on its way (the welcome comes first): no join to ask for.
      this.wanted = { key: this.defaultKey, focus };
      return;
    }
    this.request(route.room, focus);
  }

  /** A join that resumes from the last id the page saw in the room, when it has seen any. */
  private joinEvent(name: string): ClientEvent {
    const point = this.conversations.room(name)?.resumePoint() ?? null;
    return point === null ? { type: 'join', room: name } : { type: 'join', room: name, after: point.after, epoch: point.epoch };
  }

  /** The server put the page in a room (or said it is in one already): show it if it was asked for. */
  onRoomAnswered(view: ConversationView): void {
    const key = looseRoomKey(view.name);
    this.asked.delete(key);
    if (this.wanted?.key !== key) return;
    const { focus } = this.wanted;
    this.wanted = null;
    this.conversations.select(view, focus);
  }
}
