import type { HistoryEvent, HistoryPage, MessageEvent } from '../../shared/events.js';

/** What to do with a `history` event: clear what is shown first, then append `messages`. */
export interface HistoryPlan {
  reset: boolean;
  messages: MessageEvent[];
}

/**
 * Where this page is in the room's history, so a reconnect resumes instead of starting over and
 * nothing is shown twice. Ids only increase and the server sends them in order, so "newer than
 * the newest shown" is the whole duplicate check for appends (no set that grows for days), and
 * "older than the oldest shown" for pages loaded by scrolling up. Ids from another epoch (a
 * server whose history was replaced) are never compared.
 */
export class HistoryCursor {
  private epoch: string | null = null;
  private newest = 0;

  /** `/ws`, plus where to resume from once this page has seen a history. */
  resumeUrl(base: string): string {
    if (this.epoch === null) return base;
    const url = new URL(base);
    url.searchParams.set('after', String(this.newest));
    url.searchParams.set('epoch', this.epoch);
    return url.href;
  }

  /**
   * `recent` (or a different epoch) replaces what is shown; `resume` appends what is new.
   * `reset` is true only when something was shown before, so a first visit clears nothing.
   */
  onHistory(event: HistoryEvent): HistoryPlan {
    if (event.mode === 'recent' || event.epoch !== this.epoch) {
      const reset = this.epoch !== null;
      this.epoch = event.epoch;
      this.newest = 0;
      return { reset, messages: event.messages.filter(this.takeIfNew) };
    }
    return { reset: false, messages: event.messages.filter(this.takeIfNew) };
  }

  /** A live message: false when it was already shown (a safety net; the server sends none twice). */
  onMessage(event: MessageEvent): boolean {
    return this.takeIfNew(event);
  }

  /** A page of older messages from GET /history: those to prepend, oldest first. */
  olderToShow(page: HistoryPage, oldestShown: number | null): MessageEvent[] {
    if (page.epoch !== this.epoch) return [];
    const limit = oldestShown ?? Number.POSITIVE_INFINITY;
    return page.messages.filter((message) => message.id < limit);
  }

  private readonly takeIfNew = (message: MessageEvent): boolean => {
    // Id 0: said while the server could not reach the shared room (`--redis`); never stored, so
    // it is shown but is no place to resume from.
    if (message.id === 0) return true;
    if (message.id <= this.newest) return false;
    this.newest = message.id;
    return true;
  };
}

/** `GET /history?before=ID&limit=N` on the server that served the page. */
export function olderHistoryUrl(location: Pick<Location, 'href'>, before: number | null, limit: number): string {
  const url = new URL('/history', location.href);
  if (before !== null) url.searchParams.set('before', String(before));
  url.searchParams.set('limit', String(limit));
  return url.href;
}
