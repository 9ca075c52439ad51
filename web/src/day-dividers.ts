import { dayKey, dayLabel } from './day-label.js';

const DIVIDER_CLASS = 'day-divider';

/** The instant an entry is about (set by message-view.ts); dividers have none. */
function timeOf(element: Element): number | null {
  if (!(element instanceof HTMLElement) || element.dataset['time'] === undefined) return null;
  const time = Number(element.dataset['time']);
  return Number.isFinite(time) ? time : null;
}

function isDivider(element: Element): boolean {
  return element.classList.contains(DIVIDER_CLASS);
}

/**
 * A day heading in the log. A heading, not a bare rule: screen readers read it as the log grows
 * past midnight, and their users can jump from day to day with the heading keys.
 */
function dayDivider(time: number): HTMLElement {
  const heading = document.createElement('h2');
  heading.className = DIVIDER_CLASS;
  const label = document.createElement('time');
  label.dateTime = dayKey(time);
  label.textContent = dayLabel(time);
  heading.append(label);
  return heading;
}

/** The nearest entry (not divider) from `start` on, in one direction; null past the end. */
function entryFrom(start: Element | null, step: (element: Element) => Element | null): Element | null {
  let element = start;
  while (element !== null && timeOf(element) === null) element = step(element);
  return element;
}

const previous = (element: Element): Element | null => element.previousElementSibling;
const next = (element: Element): Element | null => element.nextElementSibling;

/**
 * Puts the day headings right around entries just added or removed, `first` to `last` (children
 * of `log`, in order): one heading above the log's first entry and above every entry whose local
 * day differs from the entry before it, none anywhere else. Only that stretch and its two
 * neighbouring entries are looked at, so appending a line does not walk a log of thousands.
 */
export function placeDayDividers(log: HTMLElement, first: Element, last: Element): void {
  const startEntry = entryFrom(previous(first), previous) ?? entryFrom(log.firstElementChild, next);
  const endEntry = entryFrom(next(last), next) ?? entryFrom(log.lastElementChild, previous);
  if (startEntry === null || endEntry === null) return;
  let before = entryFrom(previous(startEntry), previous);
  let entry: Element | null = startEntry;
  while (entry !== null) {
    fixGap(log, before, entry);
    if (entry === endEntry) return;
    before = entry;
    entry = entryFrom(next(entry), next);
  }
}

/** Between two neighbouring entries (`before` null: the top of the log): one heading or none. */
function fixGap(log: HTMLElement, before: Element | null, entry: Element): void {
  const time = timeOf(entry) ?? 0;
  const beforeTime = before === null ? null : timeOf(before);
  const wanted = beforeTime === null || dayKey(beforeTime) !== dayKey(time);
  let kept = false;
  let element = entry.previousElementSibling;
  while (element !== null && element !== before) {
    const current = element;
    element = element.previousElementSibling;
    if (!isDivider(current)) continue;
    if (wanted && !kept && current.querySelector('time')?.dateTime === dayKey(time)) kept = true;
    else current.remove();
  }
  if (wanted && !kept) log.insertBefore(dayDivider(time), entry);
}
