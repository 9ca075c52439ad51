import type { HistoryPage, MessageEvent } from '../../shared/events.js';
import { type HistoryCursor, olderHistoryUrl } from './history-cursor.js';
import type { LogView } from './log-view.js';
import { isMessageList } from './parse-event.js';
import { loadPassword } from './storage.js';

/** Messages fetched per scroll to the top. */
const PAGE_SIZE = 50;

function isHistoryPage(value: unknown): value is HistoryPage {
  if (typeof value !== 'object' || value === null) return false;
  const page = value as Record<string, unknown>;
  return typeof page['room'] === 'string' && typeof page['epoch'] === 'string' && typeof page['more'] === 'boolean' && isMessageList(page['messages']);
}

/**
 * One room's older messages on scroll-up: `GET /history?room=R&before=<oldest shown>` and prepend. One request at a
 * time; stops once the server says there is nothing older, until the log drops entries from its
 * top again (then those can be fetched back).
 */
export class ScrollBack {
  private loading = false;
  private exhausted = true;

  constructor(
    private readonly room: string,
    private readonly log: LogView,
    private readonly cursor: HistoryCursor,
    private readonly render: (event: MessageEvent) => HTMLElement,
  ) {}

  /** From a `recent` history event: whether anything older exists at all. */
  setMore(more: boolean): void {
    this.exhausted = !more;
  }

  /** The log dropped its oldest entries: they can be loaded again by scrolling up. */
  readonly onTrimmed = (): void => {
    this.exhausted = false;
  };

  readonly onReachedTop = (): void => {
    if (this.loading || this.exhausted) return;
    this.loading = true;
    void this.loadOlder().finally(() => {
      this.loading = false;
    });
  };

  private async loadOlder(): Promise<void> {
    const oldest = this.log.oldestMessageId();
    try {
      // On a server with a password, the one this tab gave, percent-encoded (a header is Latin-1 only).
      const password = loadPassword();
      const headers: Record<string, string> = password === null ? {} : { 'x-switchboard-password': encodeURIComponent(password) };
      const response = await fetch(olderHistoryUrl(window.location, this.room, oldest, PAGE_SIZE), { headers });
      if (!response.ok) return;
      const page: unknown = await response.json();
      if (!isHistoryPage(page)) return;
      // A reconnect may have replaced the log meanwhile; the cursor drops what no longer fits.
      const older = this.cursor.olderToShow(page, this.log.oldestMessageId());
      this.exhausted = !page.more;
      this.log.prepend(older.map(this.render));
    } catch {
      // Offline: the next scroll to the top tries again.
    }
  }
}
