import type { HistoryEvent, HistoryPage, LostRange, MessageEvent } from '../../shared/events.js';

/** What to do with a `history` event: clear what is shown first, then append `messages`. */
export interface HistoryPlan {
  reset: boolean;
  messages: MessageEvent[];
  /** Ids the server lost since this page's newest message: say so where they fall (see planItems). */
  lost: LostRange[];
}

/** One thing to append for a plan: a message, or a note that the server lost some. */
export type PlanItem = { message: MessageEvent } | { lost: LostRange };

/**
 * Where this page is in one room's history (each room has its own: ids are one server-wide
 * sequence, increasing within a room with gaps), so a reconnect resumes instead of starting over and
 * nothing is shown twice. Ids only increase and the server sends them in order, so "newer than
 * the newest shown" is the whole duplicate check for appends (no set that grows for days), and
 * "older than the oldest shown" for pages loaded by scrolling up. Ids from another epoch (a
 * server whose history was replaced) are never compared.
 */
export class HistoryCursor {
  private epoch: string | null = null;
  private newest = 0;

  /** `/ws`, plus where to resume from once this page has seen a history (the default room's cursor). */
  resumeUrl(base: string): string {
    const point = this.resumePoint();
    if (point === null) return base;
    const url = new URL(base);
    url.searchParams.set('after', String(point.after));
    url.searchParams.set('epoch', point.epoch);
    return url.href;
  }

  /** Where a `join` of this room resumes from (its `after` and `epoch`), null before any history. */
  resumePoint(): { after: number; epoch: string } | null {
    return this.epoch === null ? null : { after: this.newest, epoch: this.epoch };
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
      return { reset, messages: event.messages.filter(this.takeIfNew), lost: [] };
    }
    const since = this.newest;
    const messages = event.messages.filter(this.takeIfNew);
    const lost = (event.lost ?? []).filter((range) => range.last > since).map((range) => ({ first: Math.max(range.first, since + 1), last: range.last }));
    // Past the lost ids too, so the next resume does not ask for them (and say so) again.
    for (const range of lost) this.newest = Math.max(this.newest, range.last);
    return { reset: false, messages, lost };
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

/** A plan's messages in id order, with a note where each lost range falls among them. */
export function planItems(plan: HistoryPlan): PlanItem[] {
  const items: PlanItem[] = [];
  let next = 0;
  for (const message of plan.messages) {
    while (next < plan.lost.length && plan.lost[next]!.last < message.id) items.push({ lost: plan.lost[next++]! });
    items.push({ message });
  }
  for (; next < plan.lost.length; next += 1) items.push({ lost: plan.lost[next]! });
  return items;
}

/** What the page says where the server lost messages (it cannot know who said what). */
export function lostText(range: LostRange): string {
  const count = range.last - range.first + 1;
  return count === 1
    ? '1 message from while you were away was lost by the server and cannot be shown.'
    : `${count} messages from while you were away were lost by the server and cannot be shown.`;
}

/** `GET /history?room=R&before=ID&limit=N` on the server that served the page. */
export function olderHistoryUrl(location: Pick<Location, 'href'>, room: string, before: number | null, limit: number): string {
  const url = new URL('/history', location.href);
  url.searchParams.set('room', room);
  if (before !== null) url.searchParams.set('before', String(before));
  url.searchParams.set('limit', String(limit));
  return url.href;
}
