import type { MemberInfo, Transport } from '../../shared/events.js';
import { setNameHue } from './name-hue.js';

const TRANSPORT_TITLES: Record<Transport, string> = {
  tcp: 'Framed TCP client',
  line: 'Line client (netcat, telnet)',
  ws: 'Browser (WebSocket)',
  irc: 'IRC client',
};

export interface MembersViewElements {
  list: HTMLElement;
  count: HTMLElement;
}

export interface MembersViewOptions extends MembersViewElements {
  /** A click on another member's name: open a direct-message view with them. */
  openDirect(name: string): void;
}

/**
 * One room's member list, kept up to date from events alone: `joined` and `members` replace it,
 * join, leave and nick notices patch it. Items are keyed by member id, which survives nick
 * changes, so a rename updates one item in place and the list keeps join order. Another member's
 * name is a button that opens a direct-message view with them (one listener on the list).
 */
export class MembersView {
  private readonly elements: MembersViewOptions;
  private readonly items = new Map<number, HTMLLIElement>();
  private selfId: number | null = null;
  /** Members in the room that the server did not list (a big room's list is cut at 200). */
  private unlisted = 0;

  constructor(elements: MembersViewOptions) {
    this.elements = elements;
    elements.list.addEventListener('click', this.listOnClick);
  }

  /** Whether the member is listed here (a nick change is shown in the rooms that list them). */
  has(id: number): boolean {
    return this.items.has(id);
  }

  /** `count` is how many are in the room; the list may name fewer. */
  reset(members: readonly MemberInfo[], selfId: number | null, count = members.length): void {
    this.selfId = selfId;
    this.unlisted = Math.max(0, count - members.length);
    this.items.clear();
    const items = members.map((member) => this.createItem(member));
    this.elements.list.replaceChildren(...items);
    this.elements.list.classList.remove('members__list--stale');
    this.updateCount();
  }

  /** Adds a member that joined, or renames one already listed. */
  upsert(member: MemberInfo): void {
    const existing = this.items.get(member.id);
    if (existing === undefined) {
      this.elements.list.append(this.createItem(member));
      this.updateCount();
      return;
    }
    existing.replaceChildren(...this.itemContent(member));
  }

  remove(id: number): void {
    const item = this.items.get(id);
    if (item === undefined) this.unlisted = Math.max(0, this.unlisted - 1);
    item?.remove();
    this.items.delete(id);
    this.updateCount();
  }

  /** While reconnecting the list may be out of date; it is dimmed until the next welcome. */
  markStale(): void {
    this.elements.list.classList.add('members__list--stale');
  }

  private createItem(member: MemberInfo): HTMLLIElement {
    const item = document.createElement('li');
    item.setAttribute('role', 'listitem');
    item.className = 'member';
    item.replaceChildren(...this.itemContent(member));
    if (member.id === this.selfId) item.classList.add('member--self');
    this.items.set(member.id, item);
    return item;
  }

  /** Parts are separated by spaces so the item's text reads "alice (you) ws", not "alice(you)ws". */
  private itemContent(member: MemberInfo): (HTMLElement | string)[] {
    const dot = document.createElement('span');
    dot.className = 'member__dot';
    dot.setAttribute('aria-hidden', 'true');
    setNameHue(dot, member.name);

    const name = document.createElement('bdi');
    name.textContent = member.name;
    // Your own name is text; another's is a button (the item's text stays "bob ws" for the list).
    let label: HTMLElement = name;
    if (member.id !== this.selfId) {
      label = document.createElement('button');
      label.setAttribute('type', 'button');
      label.dataset['name'] = member.name;
      label.append(name);
    }
    label.classList.add('member__name');
    label.title = member.id === this.selfId ? member.name : `${member.name}: direct message`;

    const parts: (HTMLElement | string)[] = [dot];
    if (member.op === true) {
      // `@` as IRC shows it; screen readers hear "operator" instead of "at".
      const op = document.createElement('span');
      op.className = 'member__op';
      op.title = 'room operator';
      const sign = document.createElement('span');
      sign.setAttribute('aria-hidden', 'true');
      sign.textContent = '@';
      const spoken = document.createElement('span');
      spoken.className = 'visually-hidden';
      spoken.textContent = 'operator';
      op.append(sign, spoken);
      parts.push(op);
    }
    parts.push(label);
    if (member.id === this.selfId) {
      const you = document.createElement('span');
      you.className = 'member__you';
      you.textContent = '(you)';
      parts.push(' ', you);
    }

    const transport = document.createElement('span');
    transport.className = 'member__transport';
    transport.title = TRANSPORT_TITLES[member.transport];
    transport.textContent = member.transport;
    parts.push(' ', transport);
    return parts;
  }

  private readonly listOnClick = (event: MouseEvent): void => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.member__name') : null;
    const name = button?.dataset['name'];
    if (name !== undefined) this.elements.openDirect(name);
  };

  private updateCount(): void {
    const total = this.items.size + this.unlisted;
    this.elements.count.textContent = this.unlisted === 0 ? String(total) : `${total} (${this.items.size} listed)`;
  }
}
