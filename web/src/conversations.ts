import type { ClientEvent } from '../../shared/events.js';
import type { ConversationShell, ConversationView } from './conversation-view.js';
import { DmView } from './dm-view.js';
import { saveRooms } from './room-memory.js';
import { looseRoomKey } from './room-names.js';
import { RoomView } from './room-view.js';
import { neighbour } from './view-order.js';

export interface ConversationsListeners {
  /** Another conversation is shown: the header, the message box, the list and the fragment follow. */
  shown(view: ConversationView, previous: ConversationView | null, focus: boolean): void;
  /** Conversations came or went, one was renamed, or an unread count changed. */
  listed(): void;
  /** A conversation not shown got its first unread message since it was last shown. */
  firstUnread(view: ConversationView): void;
}

/**
 * Every conversation the page has, rooms first (in the order the page joined them, the default
 * room first) then direct messages (in the order they began), and which one is shown. The rooms
 * are remembered (room-memory.ts) each time the list of them changes, so a reload joins them again.
 */
export class Conversations {
  private readonly roomViews = new Map<string, RoomView>();
  private readonly dmViews = new Map<string, DmView>();
  private shownView: ConversationView | null = null;

  constructor(
    private readonly shell: ConversationShell,
    private readonly send: (event: ClientEvent) => boolean,
    private readonly listeners: ConversationsListeners,
  ) {}

  get current(): ConversationView | null {
    return this.shownView;
  }

  /** In the room list's order: what Alt+Up and Alt+Down walk through. */
  ordered(): ConversationView[] {
    return [...this.roomViews.values(), ...this.dmViews.values()];
  }

  rooms(): RoomView[] {
    return [...this.roomViews.values()];
  }

  /** By the room's name as the server spells it (every event about a room does). */
  room(name: string): RoomView | undefined {
    return this.roomViews.get(name);
  }

  /** By a name as a person typed it (`OPS`, `#ops`): see room-names.ts. */
  roomLoosely(name: string): RoomView | undefined {
    const key = looseRoomKey(name);
    return this.rooms().find((view) => looseRoomKey(view.room) === key);
  }

  defaultRoom(): RoomView | undefined {
    return this.rooms().find((view) => view.isDefault);
  }

  /** The view of a room the server says the page is in, made on the first `joined`. */
  addRoom(name: string, isDefault: boolean): RoomView {
    const existing = this.roomViews.get(name);
    if (existing !== undefined) return existing;
    const view = new RoomView(this.shell, name, isDefault, { send: this.send, openDirect: this.openDirectOnClick });
    this.roomViews.set(name, view);
    this.remember();
    this.listeners.listed();
    if (this.shownView === null) this.select(view, false);
    return view;
  }

  dm(peer: string): DmView | undefined {
    return this.dmViews.get(peer);
  }

  /** The direct messages with a member, begun if new (a message, a click on a member, a fragment). */
  openDm(peer: string): DmView {
    const existing = this.dmViews.get(peer);
    if (existing !== undefined) return existing;
    const view = new DmView(this.shell, peer);
    this.dmViews.set(peer, view);
    this.listeners.listed();
    return view;
  }

  /** A peer changed nickname: their direct messages follow them, unless the new name has some already. */
  renameDm(previous: string, name: string): DmView | undefined {
    const view = this.dmViews.get(previous);
    if (view === undefined || this.dmViews.has(name)) return undefined;
    // Map order is insertion order: rebuild it so the renamed one keeps its place in the list.
    const entries = [...this.dmViews.entries()].map(([key, entry]) => [key === previous ? name : key, entry] as const);
    this.dmViews.clear();
    for (const [key, entry] of entries) this.dmViews.set(key, entry);
    view.rename(name);
    this.listeners.listed();
    if (view === this.shownView) this.listeners.shown(view, view, false);
    return view;
  }

  /**
   * Left the room, or closed the direct messages: gone from the page and from the remembered
   * rooms. When it was the one shown, the default room is shown instead, with `focus` there (the
   * button that closed it goes away with it, so the keyboard must land somewhere).
   */
  remove(view: ConversationView, focus = false): void {
    if (view.kind === 'room') this.roomViews.delete(view.name);
    else this.dmViews.delete(view.name);
    if (view.kind === 'room') this.remember();
    view.destroy();
    if (view === this.shownView) {
      this.shownView = null;
      const next = this.defaultRoom() ?? this.ordered()[0];
      if (next !== undefined) this.select(next, focus);
    }
    this.listeners.listed();
  }

  /** Shows a conversation; `focus` moves the keyboard to its message box (a person asked for it). */
  select(view: ConversationView, focus: boolean): void {
    const previous = this.shownView;
    if (previous !== view) {
      previous?.hide();
      this.shownView = view;
      view.show();
    }
    const hadUnread = view.unread > 0;
    view.unread = 0;
    this.listeners.shown(view, previous, focus);
    if (hadUnread || previous !== view) this.listeners.listed();
  }

  /** Something the list shows changed (a room left or joined again). */
  changed(): void {
    this.listeners.listed();
  }

  /** Alt+Up (-1) and Alt+Down (1): the conversation above or below in the list; false at an end. */
  step(direction: 1 | -1): boolean {
    const next = neighbour(this.ordered(), this.shownView, direction);
    if (next === null) return false;
    this.select(next, true);
    return true;
  }

  /** Messages from others reached a conversation: counted as unread unless it is the one shown. */
  arrived(view: ConversationView, count: number): void {
    if (count === 0 || view === this.shownView) return;
    const first = view.unread === 0;
    view.unread += count;
    this.listeners.listed();
    if (first) this.listeners.firstUnread(view);
  }

  private remember(): void {
    saveRooms(this.rooms().map((view) => view.room));
  }

  private readonly openDirectOnClick = (name: string): void => {
    this.select(this.openDm(name), true);
  };
}
