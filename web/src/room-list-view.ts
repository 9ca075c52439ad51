import type { ConversationView } from './conversation-view.js';
import { createElement } from './dom.js';
import { routeHash } from './room-route.js';
import { badgeText, spokenUnread, unreadAnnouncement } from './unread-text.js';

export interface RoomListElements {
  rooms: HTMLElement;
  dms: HTMLElement;
  /** The "Direct messages" heading, hidden while there are none. */
  dmHeading: HTMLElement;
  /** A polite live region: a conversation in the background got something new. */
  announcer: HTMLElement;
}

/**
 * The room list: one link per room and per direct-message peer, each to its fragment, with its
 * unread count, the one shown marked `aria-current="page"`. A link is a link: it can be opened,
 * bookmarked, and the browser's Back goes to the conversation before. Items are kept and patched
 * in place (never rebuilt), so a focused link keeps focus while counts change around it.
 */
/** One conversation's entry in the list, and the parts of it that change. */
interface ListItem {
  item: HTMLLIElement;
  link: HTMLAnchorElement;
  name: HTMLElement;
  badge: HTMLElement;
  spoken: HTMLElement;
}

export class RoomListView {
  private readonly items = new Map<ConversationView, ListItem>();

  constructor(private readonly elements: RoomListElements) {}

  /** Brings the list in line with the conversations, in their order, `current` marked. */
  sync(views: readonly ConversationView[], current: ConversationView | null): void {
    for (const [view, entry] of this.items) {
      if (views.includes(view)) continue;
      entry.item.remove();
      this.items.delete(view);
    }
    for (const view of views) {
      let entry = this.items.get(view);
      if (entry === undefined) {
        entry = this.createItem();
        this.items.set(view, entry);
        (view.kind === 'room' ? this.elements.rooms : this.elements.dms).append(entry.item);
      }
      this.patch(entry, view, view === current);
    }
    this.elements.dmHeading.hidden = !views.some((view) => view.kind === 'dm');
  }

  /** Said once when a conversation in the background goes from nothing unread to something. */
  announceFirstUnread(view: ConversationView): void {
    this.announce(unreadAnnouncement(view.kind, view.name));
  }

  announce(text: string): void {
    // Setting the same words again is not a change a screen reader would announce.
    this.elements.announcer.textContent = this.elements.announcer.textContent === text ? `${text}.` : text;
  }

  private createItem(): ListItem {
    const item = createElement('li', 'rooms__item');
    const link = createElement('a', 'room-link');
    const name = createElement('bdi', 'room-link__name');
    const badge = createElement('span', 'room-link__badge');
    badge.setAttribute('aria-hidden', 'true');
    const spoken = createElement('span', 'visually-hidden');
    link.append(name, badge, spoken);
    item.append(link);
    return { item, link, name, badge, spoken };
  }

  private patch({ link, name, badge, spoken }: ListItem, view: ConversationView, isCurrent: boolean): void {
    const href = routeHash(view.route);
    if (link.getAttribute('href') !== href) link.setAttribute('href', href);
    if (name.textContent !== view.name) name.textContent = view.name;
    if (isCurrent) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    link.classList.toggle('room-link--unread', view.unread > 0);
    link.classList.toggle('room-link--left', !view.active);
    badge.textContent = view.unread > 0 ? badgeText(view.unread) : '';
    spoken.textContent = view.unread > 0 ? ` (${spokenUnread(view.unread)})` : '';
  }
}
