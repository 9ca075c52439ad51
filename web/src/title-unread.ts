import { isDocumentHidden } from './dom.js';

/**
 * Counts messages that arrive while the tab is in the background and shows the count in the
 * title, "(3) Switchboard", which is what a browser tab strip can display. Coming back to the tab
 * means the messages have been seen, so the count clears on visibility.
 */
export class UnreadTitle {
  private readonly baseTitle: string;
  private unread = 0;

  constructor(baseTitle: string) {
    this.baseTitle = baseTitle;
    document.title = baseTitle;
    document.addEventListener('visibilitychange', this.documentOnVisibilityChange);
  }

  /** Call for each message from someone else; ignored while the tab is visible. */
  noteMessage(): void {
    if (!isDocumentHidden()) return;
    this.unread += 1;
    document.title = `(${this.unread}) ${this.baseTitle}`;
  }

  private readonly documentOnVisibilityChange = (): void => {
    if (isDocumentHidden() || this.unread === 0) return;
    this.unread = 0;
    document.title = this.baseTitle;
  };
}
