/**
 * Finds http(s) URLs in message text so they can be clickable. Everything else stays plain text:
 * the page builds DOM from text nodes only, and a link is an <a> whose href went through the URL
 * parser and whose scheme is http: or https: (never javascript:, data:, ...).
 */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A candidate runs from the scheme to the next whitespace or character that cannot be in a URL
// as people paste them; trailing punctuation is trimmed afterwards.
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"\u00a0\u3000]+/giu;
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', "'", '’', '"', '*', '_']);
const CLOSING_TO_OPENING = new Map([
  [')', '('],
  [']', '['],
  ['}', '{'],
]);

/** Splits text into plain and link segments, in order; joining their `text` gives the input back. */
export function splitLinks(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  URL_CANDIDATE.lastIndex = 0;
  for (let match = URL_CANDIDATE.exec(text); match !== null; match = URL_CANDIDATE.exec(text)) {
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate);
    if (href === null) continue;
    if (match.index > last) segments.push({ kind: 'text', text: text.slice(last, match.index) });
    segments.push({ kind: 'link', text: candidate, href });
    last = match.index + candidate.length;
    URL_CANDIDATE.lastIndex = last;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

/** Appends text to `parent` as text nodes and safe links; never parses anything as HTML. */
export function appendLinkified(parent: HTMLElement, text: string): void {
  for (const segment of splitLinks(text)) {
    if (segment.kind === 'text') {
      parent.append(document.createTextNode(segment.text));
      continue;
    }
    const link = document.createElement('a');
    link.href = segment.href;
    link.textContent = segment.text;
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    parent.append(link);
  }
}

/**
 * "see https://example.com/a_(b)." ends at "b)": a trailing dot or quote is sentence
 * punctuation, and a closing bracket belongs to the URL only when the URL opened one.
 */
function trimTrailing(candidate: string): string {
  let end = candidate.length;
  while (end > 0) {
    const last = candidate[end - 1]!;
    if (TRAILING_PUNCTUATION.has(last)) {
      end -= 1;
      continue;
    }
    const opening = CLOSING_TO_OPENING.get(last);
    if (opening !== undefined) {
      const head = candidate.slice(0, end);
      if (count(head, last) > count(head, opening)) {
        end -= 1;
        continue;
      }
    }
    break;
  }
  return candidate.slice(0, end);
}

function count(text: string, character: string): number {
  let total = 0;
  for (const c of text) if (c === character) total += 1;
  return total;
}

/** The normalised href, or null unless the URL parses with an http(s) scheme and a host. */
function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.href;
}
