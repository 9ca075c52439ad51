import { placeDayDividers } from './day-dividers.js';
import { scrollVerdict } from './follow-state.js';
import { absorbRepeat } from './notice-repeats.js';

/** Oldest entries are dropped past this many, so a page left open for days stays responsive. */
const MAX_ENTRIES = 2000;
/** Within this many pixels of the top, scrolling up asks for older history. */
const TOP_SLACK_PX = 64;

export interface LogViewElements {
  log: HTMLElement;
  jump: HTMLButtonElement;
  jumpCount: HTMLElement;
  /** Where focus goes after jumping, so the keyboard user lands somewhere useful. */
  afterJump: HTMLElement;
  /** The reader scrolled (near) to the top: time to load older messages, if any. */
  reachedTop?: () => void;
  /** Entries were dropped from the top (MAX_ENTRIES): what was dropped can be loaded again. */
  trimmed?: () => void;
}

/**
 * The conversation log and its scrolling. It follows new entries while the reader is at the
 * bottom; once they scroll up to read, new entries no longer move the text under their eyes and a
 * "New messages" button counts what arrived and jumps back down. Only the reader's own scrolling
 * turns following off (see follow-state.ts); layout changes never do.
 */
export class LogView {
  private readonly elements: LogViewElements;
  private following = true;
  private unseen = 0;
  /** scrollTop after the last scroll event or scroll made here: a smaller one means the reader moved up. */
  private lastTop = 0;
  /** The last element shown before the current connection's welcome; null: the top of the log. */
  private joinAfter: Element | null = null;
  /**
   * Where the reader was when the log was hidden. A `display: none` element has no scroll box, and
   * keeping its offset for when it comes back is up to the browser (Chromium does; the e2e suite
   * can only show that one), so the log puts the reader back itself.
   */
  private hiddenTop = 0;

  constructor(elements: LogViewElements) {
    this.elements = elements;
    elements.log.addEventListener('scroll', this.logOnScroll, { passive: true });
    elements.jump.addEventListener('click', this.jumpOnClick);
    // The log changes height when the composer grows or the window resizes; stay pinned if following.
    new ResizeObserver(this.logOnResize).observe(elements.log);
  }

  /**
   * A new entry at the end. A notice that repeats the last entry only counts up on it
   * (notice-repeats.ts), so a refusal met on every reconnect attempt reads as one line.
   */
  append(entry: HTMLElement): void {
    const { log } = this.elements;
    if (absorbRepeat(log.lastElementChild, entry)) return;
    log.append(entry);
    placeDayDividers(log, entry, entry);
    this.afterAdding(1);
  }

  /** Older entries above what is shown, keeping the reader's place in the text. */
  prepend(entries: HTMLElement[]): void {
    const [first] = entries;
    const last = entries.at(-1);
    if (first === undefined || last === undefined) return;
    const { log } = this.elements;
    const fromBottom = log.scrollHeight - log.scrollTop;
    log.prepend(...entries);
    placeDayDividers(log, first, last);
    if (this.following) this.scrollToBottom();
    else this.scrollTo(log.scrollHeight - fromBottom);
  }

  /**
   * The page (re)joined this log's room: what comes from now on (the welcome notice first, in the
   * default room) stays below the history the server is about to send, which belongs above the
   * point where this page joined, as in Slack, Discord and The Lounge.
   */
  markJoin(): void {
    this.joinAfter = this.elements.log.lastElementChild;
  }

  /**
   * The connection's history, placed at the join point: below what this page showed before (a
   * "connection lost" notice), above the welcome notice. `replace` first drops everything above
   * the join point: the server could not fill the gap, so the old lines cannot be continued.
   */
  insertAtJoin(entries: HTMLElement[], replace: boolean): void {
    const { log } = this.elements;
    if (this.joinAfter !== null && !this.joinAfter.isConnected) this.joinAfter = null;
    if (replace) {
      const keep = this.joinAfter === null ? log.firstElementChild : this.joinAfter.nextElementSibling;
      while (log.firstElementChild !== null && log.firstElementChild !== keep) log.firstElementChild.remove();
      this.joinAfter = null;
    }
    const [first] = entries;
    const last = entries.at(-1);
    if (first === undefined || last === undefined) {
      const top = log.firstElementChild;
      if (top !== null) placeDayDividers(log, top, top);
      return;
    }
    log.insertBefore(fragmentOf(entries), this.joinAfter === null ? log.firstElementChild : this.joinAfter.nextElementSibling);
    this.joinAfter = last;
    placeDayDividers(log, first, last);
    this.afterAdding(entries.length);
  }

  /** Empties the log: the server's history replaced what this page had (see HistoryCursor). */
  clear(): void {
    this.elements.log.replaceChildren();
    this.joinAfter = null;
    this.caughtUp();
  }

  /** Another conversation is about to be shown instead: remember where the reader was. */
  beforeHide(): void {
    this.hiddenTop = this.elements.log.scrollTop;
  }

  /** Shown again: at the end if following (what arrived meanwhile included), else where the reader left it. */
  afterShow(): void {
    if (this.following) this.scrollToBottom();
    else this.scrollTo(this.hiddenTop);
  }

  /** Id of the oldest message shown, null when none is. */
  oldestMessageId(): number | null {
    const first = this.elements.log.querySelector<HTMLElement>('[data-id]');
    const id = Number(first?.dataset['id']);
    return first === null || !Number.isSafeInteger(id) ? null : id;
  }

  /** Entries were added: follow them, or count them on the "New messages" button. */
  private afterAdding(count: number): void {
    this.trim();
    if (this.following) {
      this.scrollToBottom();
      return;
    }
    this.unseen += count;
    this.elements.jumpCount.textContent = String(this.unseen);
    this.elements.jump.hidden = false;
  }

  private trim(): void {
    const { log } = this.elements;
    if (log.childElementCount <= MAX_ENTRIES) return;
    // Removing from the top would shift what a scrolled-up reader is looking at.
    const fromBottom = log.scrollHeight - log.scrollTop;
    while (log.childElementCount > MAX_ENTRIES) {
      log.firstElementChild?.remove();
      this.elements.trimmed?.();
    }
    // The new first entry needs its day heading (its old one may have been trimmed away).
    const top = log.firstElementChild;
    if (top !== null) placeDayDividers(log, top, top);
    if (!this.following) this.scrollTo(log.scrollHeight - fromBottom);
  }

  private scrollToBottom(): void {
    this.scrollTo(this.elements.log.scrollHeight);
  }

  /** Scrolls and remembers where the browser put it (clamped), so the next event is not a move up. */
  private scrollTo(top: number): void {
    const { log } = this.elements;
    log.scrollTop = top;
    this.lastTop = log.scrollTop;
  }

  private caughtUp(): void {
    this.following = true;
    this.unseen = 0;
    this.elements.jump.hidden = true;
  }

  private readonly logOnScroll = (): void => {
    const { log } = this.elements;
    const top = log.scrollTop;
    const verdict = scrollVerdict(this.following, { top, previousTop: this.lastTop, gap: log.scrollHeight - top - log.clientHeight });
    this.lastTop = top;
    switch (verdict) {
      case 'caught-up':
        this.caughtUp();
        break;
      case 'stopped':
        this.following = false;
        break;
      case 'repin':
        this.scrollToBottom();
        break;
      case 'unchanged':
        break;
    }
    if (top <= TOP_SLACK_PX) this.elements.reachedTop?.();
  };

  private readonly logOnResize = (): void => {
    if (this.following) this.scrollToBottom();
  };

  private readonly jumpOnClick = (): void => {
    this.scrollToBottom();
    this.caughtUp();
    this.elements.afterJump.focus();
  };
}

function fragmentOf(entries: HTMLElement[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(...entries);
  return fragment;
}
