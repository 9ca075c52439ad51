import type { ClientEvent } from '../../shared/events.js';
import type { ComposerTarget } from './composer.js';
import { createElement } from './dom.js';
import { LogView } from './log-view.js';
import { type EntryNoticeKind, noticeEntry } from './message-view.js';
import type { Route } from './room-route.js';
import { TimeTip } from './time-tip.js';

/** Where every conversation puts its parts: the page's containers, shared by all of them. */
export interface ConversationShell {
  /** Holds each conversation's log pane; only the one shown is not hidden. */
  logs: HTMLElement;
  /** Holds each conversation's side panel (a room's members, a note for a direct message). */
  sides: HTMLElement;
  /** The one full-date popover of the page (time-tip.ts). */
  tip: HTMLElement;
  /** Where focus goes after "New messages" is clicked: the message box. */
  messageBox: HTMLElement;
}

export interface LogHooks {
  reachedTop?: () => void;
  trimmed?: () => void;
}

/**
 * One conversation the page shows, a room or a direct-message peer: its own log (with its scroll
 * position, "New messages" button and time tips), its side panel, its draft and its unread count.
 * Views that are not shown stay in the document, hidden, so switching back is instant and loses
 * nothing; a hidden log is out of the accessibility tree, so only the shown one is a live region.
 */
export abstract class ConversationView implements ComposerTarget {
  abstract readonly kind: 'room' | 'dm';
  /** Messages from others that arrived while another conversation was shown. */
  unread = 0;
  /** What was in the message box when the page switched away. */
  draft = '';
  readonly log: LogView;
  protected readonly pane: HTMLElement;
  protected readonly side: HTMLElement;
  protected readonly logElement: HTMLElement;

  constructor(shell: ConversationShell, hooks: LogHooks = {}) {
    this.pane = createElement('div', 'log-pane');
    this.pane.hidden = true;
    this.logElement = createElement('div', 'log');
    this.logElement.setAttribute('role', 'log');
    this.logElement.setAttribute('aria-live', 'polite');
    this.logElement.tabIndex = 0;
    const jump = createElement('button', 'jump');
    jump.type = 'button';
    jump.hidden = true;
    const arrow = createElement('span', '', '↓');
    arrow.setAttribute('aria-hidden', 'true');
    const jumpCount = createElement('span', 'jump__count');
    jumpCount.setAttribute('aria-hidden', 'true');
    jump.append(arrow, ' New messages ', jumpCount);
    this.pane.append(this.logElement, jump);
    this.side = createElement('div', 'side');
    this.side.hidden = true;
    shell.logs.append(this.pane);
    shell.sides.append(this.side);
    this.log = new LogView({
      log: this.logElement,
      jump,
      jumpCount,
      afterJump: shell.messageBox,
      ...(hooks.reachedTop === undefined ? {} : { reachedTop: hooks.reachedTop }),
      ...(hooks.trimmed === undefined ? {} : { trimmed: hooks.trimmed }),
    });
    new TimeTip(this.logElement, shell.tip);
  }

  /** The room (`#ops`) or the peer's nickname: what the room list and the header show. */
  abstract get name(): string;
  /** The fragment that shows this conversation. */
  abstract get route(): Route;
  /** The line under the name in the header: a room's topic, a note for direct messages. */
  abstract get subtitle(): string;
  /** What a line typed in this conversation's message box sends. */
  abstract eventFor(text: string): ClientEvent;

  /** The message box's label while this conversation is shown. */
  get label(): string {
    return `Message ${this.name}`;
  }

  /** False for a room the page is not in at the moment (after a `/part` of the default room). */
  get active(): boolean {
    return true;
  }

  /** Whether the header offers Leave (a room) or Close (direct messages). */
  get closable(): boolean {
    return true;
  }

  get isShown(): boolean {
    return !this.pane.hidden;
  }

  show(): void {
    this.pane.hidden = false;
    this.side.hidden = false;
    this.log.afterShow();
  }

  hide(): void {
    if (this.pane.hidden) return;
    this.log.beforeHide();
    this.pane.hidden = true;
    this.side.hidden = true;
  }

  /** A notice in this conversation's log, from the server or made by the page. */
  notice(kind: EntryNoticeKind, time: number, text: string): void {
    this.log.append(noticeEntry(kind, time, text));
  }

  /** Focus the log itself (the conversation has no message box to go to, say). */
  focusLog(): void {
    this.logElement.focus();
  }

  /** Gone for good (left the room, closed the direct messages): its parts leave the page. */
  destroy(): void {
    this.pane.remove();
    this.side.remove();
  }

  /** The log's accessible name follows the conversation's name. */
  protected labelLog(): void {
    this.logElement.setAttribute('aria-label', `Conversation in ${this.name}`);
  }
}
