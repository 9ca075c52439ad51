import type { ClientEvent, MessageEvent } from '../../shared/events.js';
import { type ConversationShell, ConversationView } from './conversation-view.js';
import { dmIntent } from './dm-intent.js';
import { createElement } from './dom.js';
import { messageEntry } from './message-view.js';
import type { Route } from './room-route.js';

/** Said at the top of every direct-message view: the server keeps none. */
export const DM_NOTE = 'Direct messages are not stored by the server: a reload loses them.';

/**
 * Direct messages with one member, by nickname: fed by `message` events with `to` (incoming, the
 * peer is `from`; our own copy comes back with `self` and the peer in `to`), sent as `msg`. The
 * server stores none, so there is no history to resume or scroll back to, and the view says so.
 */
export class DmView extends ConversationView {
  readonly kind = 'dm';
  private peerName: string;
  private readonly sideName: HTMLElement;

  constructor(shell: ConversationShell, peer: string) {
    super(shell);
    this.peerName = peer;
    this.pane.classList.add('log-pane--note');
    this.pane.prepend(createElement('p', 'log-note', DM_NOTE));
    const heading = createElement('h2', 'members__heading', 'Direct messages');
    this.sideName = createElement('bdi', '', peer);
    const who = createElement('p', 'side__text', 'Only you and ');
    who.append(this.sideName, ' see these.');
    this.side.append(heading, who);
    this.labelLog();
  }

  get name(): string {
    return this.peerName;
  }

  get route(): Route {
    return { kind: 'dm', peer: this.peerName };
  }

  get subtitle(): string {
    return 'Direct messages';
  }

  eventFor(text: string): ClientEvent {
    return dmIntent(this.peerName, text);
  }

  /** The peer changed nickname: the conversation follows them. */
  rename(name: string): void {
    this.peerName = name;
    this.sideName.textContent = name;
    this.labelLog();
  }

  onMessage(event: MessageEvent): void {
    this.log.append(messageEntry(event));
  }
}
