import type { MessageEvent, NoticeKind } from '../../shared/events.js';
import { BOT_SUFFIX } from '../../shared/bot-name.js';
import { fullDateTime } from './day-label.js';
import { appendLinkified } from './linkify.js';
import { setNameHue } from './name-hue.js';
import { markRepeatable } from './notice-repeats.js';

/** Notices the page makes itself (connection lost, ...) are styled like the server's info ones. */
export type EntryNoticeKind = NoticeKind | 'local';

/** A marker in the sender column tells notice kinds apart at a glance; screen readers skip it. */
const NOTICE_MARKERS: Record<EntryNoticeKind, string> = {
  join: '→',
  leave: '←',
  nick: '↻',
  topic: '✎',
  info: '•',
  error: '!',
  local: '•',
};

/**
 * One log entry for a chat line or `/me` action. All text goes in through text nodes, so markup
 * in a message shows as typed. The entry reads "HH:MM alice: text" or "HH:MM * alice waves" as
 * plain text, which is also what assistive technology announces from the live log.
 */
export function messageEntry(event: MessageEvent): HTMLElement {
  const entry = document.createElement('div');
  entry.className = `entry entry--${event.kind}`;
  if (event.self === true) entry.classList.add('entry--self');
  // The log pages older history by the id of its first message entry.
  entry.dataset['id'] = String(event.id);
  entry.dataset['time'] = String(event.time);

  const sender = document.createElement('span');
  sender.className = 'entry__sender';
  sender.title = event.from;
  setNameHue(sender, event.from);
  const name = document.createElement('bdi');
  name.textContent = event.from;
  if (event.bot === true) {
    // `ci[bot]` reads as the name `ci` and a badge; the badge's text keeps "ci bot" for screen readers.
    entry.classList.add('entry--bot');
    name.textContent = event.from.slice(0, -BOT_SUFFIX.length);
    const badge = document.createElement('span');
    badge.className = 'entry__bot';
    badge.textContent = 'bot';
    name.append(' ', badge);
  }
  if (event.kind === 'action') {
    sender.append('* ', name);
  } else {
    const colon = document.createElement('span');
    colon.className = 'visually-hidden';
    colon.textContent = ':';
    sender.append(name, colon);
  }

  entry.append(timeElement(event.time), ' ', sender, ' ', textElement(event.text));
  return entry;
}

/** One log entry for a server notice (join, leave, nick, info, error) or a page-made one. */
export function noticeEntry(kind: EntryNoticeKind, time: number, text: string): HTMLElement {
  const entry = document.createElement('div');
  entry.className = `entry entry--notice entry--${kind}`;
  entry.dataset['time'] = String(time);
  markRepeatable(entry, kind, text);
  const marker = document.createElement('span');
  marker.className = 'entry__sender';
  marker.setAttribute('aria-hidden', 'true');
  marker.textContent = NOTICE_MARKERS[kind];
  entry.append(timeElement(time), ' ', marker, ' ', textElement(text));
  return entry;
}

/** Local wall-clock HH:MM, 24-hour, the same in every locale so the column keeps its width. */
export function formatClock(time: number): string {
  const date = new Date(time);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

function timeElement(time: number): HTMLTimeElement {
  const element = document.createElement('time');
  element.className = 'entry__time';
  const date = new Date(time);
  element.dateTime = date.toISOString();
  // The column shows minutes only; the full local date and time is one hover (or tap, see
  // time-tip.ts) away, and the day is in the heading above it (day-dividers.ts).
  element.title = fullDateTime(time);
  element.textContent = formatClock(time);
  return element;
}

/** dir="auto" lets each message pick its own direction, so RTL text is not reordered. */
function textElement(text: string): HTMLElement {
  const element = document.createElement('span');
  element.className = 'entry__text';
  element.dir = 'auto';
  appendLinkified(element, text);
  return element;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
