/** Oldest entries are dropped past this many, so a page left open for days stays responsive. */
const MAX_ENTRIES = 2000;
/** Within this many pixels of the top, scrolling up asks for older history. */
const TOP_SLACK_PX = 64;
/** Within this many pixels of the end counts as "at the bottom" (sub-pixel rounding, zoom). */
const BOTTOM_SLACK_PX = 48;

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
 * "New messages" button counts what arrived and jumps back down.
 */
export class LogView {
  private readonly elements: LogViewElements;
  private following = true;
  private unseen = 0;

  constructor(elements: LogViewElements) {
    this.elements = elements;
    elements.log.addEventListener('scroll', this.logOnScroll, { passive: true });
    elements.jump.addEventListener('click', this.jumpOnClick);
    // The log changes height when the composer grows or the window resizes; stay pinned if following.
    new ResizeObserver(this.logOnResize).observe(elements.log);
  }

  append(entry: HTMLElement): void {
    const { log } = this.elements;
    log.append(entry);
    this.trim();
    if (this.following) {
      this.scrollToBottom();
      return;
    }
    this.unseen += 1;
    this.elements.jumpCount.textContent = String(this.unseen);
    this.elements.jump.hidden = false;
  }

  /** Older entries above what is shown, keeping the reader's place in the text. */
  prepend(entries: HTMLElement[]): void {
    if (entries.length === 0) return;
    const { log } = this.elements;
    const fromBottom = log.scrollHeight - log.scrollTop;
    log.prepend(...entries);
    if (this.following) this.scrollToBottom();
    else log.scrollTop = log.scrollHeight - fromBottom;
  }

  /** Empties the log: the server's history replaced what this page had (see HistoryCursor). */
  clear(): void {
    this.elements.log.replaceChildren();
    this.caughtUp();
  }

  /** Id of the oldest message shown, null when none is. */
  oldestMessageId(): number | null {
    const first = this.elements.log.querySelector<HTMLElement>('[data-id]');
    const id = Number(first?.dataset['id']);
    return first === null || !Number.isSafeInteger(id) ? null : id;
  }

  private trim(): void {
    const { log } = this.elements;
    while (log.childElementCount > MAX_ENTRIES) {
      const first = log.firstElementChild;
      if (!(first instanceof HTMLElement)) break;
      const height = first.offsetHeight;
      first.remove();
      this.elements.trimmed?.();
      // Removing from the top would shift what a scrolled-up reader is looking at.
      if (!this.following) log.scrollTop -= height;
    }
  }

  private isAtBottom(): boolean {
    const { log } = this.elements;
    return log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK_PX;
  }

  private scrollToBottom(): void {
    const { log } = this.elements;
    log.scrollTop = log.scrollHeight;
  }

  private caughtUp(): void {
    this.following = true;
    this.unseen = 0;
    this.elements.jump.hidden = true;
  }

  private readonly logOnScroll = (): void => {
    if (this.isAtBottom()) this.caughtUp();
    else this.following = false;
    if (this.elements.log.scrollTop <= TOP_SLACK_PX) this.elements.reachedTop?.();
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
