/**
 * Calendar days in the reader's time zone, for the log's day headings and the full date shown on
 * a tap. Pure (no DOM), so they are tested in Node under several time zones.
 */

/** `YYYY-MM-DD` of the local day `time` falls on; equal keys mean the same day. */
export function dayKey(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

/**
 * The whole date, weekday and year included ("Monday 3 March 2025" in en-GB). No "Today" or
 * "Yesterday": a page stays open for days, and a heading written at 23:59 would be wrong at
 * midnight.
 */
export function dayLabel(time: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(time);
}

/** Date and time to the second, for the tip shown when a time in the log is tapped. */
export function fullDateTime(time: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'medium' }).format(time);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
