/**
 * The text inside a frame (or a line). Client → server: the seed's `YYYY-MM-DD HH:MM:SS text`,
 * whose client timestamp the server drops; server → client: `YYYY-MM-DD HH:MM:SS SENDER TEXT` in
 * UTC, which the seed's `decode_message` (split on the first two spaces) reads as `SENDER TEXT`.
 */

/**
 * Sender token of server notices: `2026-11-24 09:15:02 *** alice joined (tcp)`. No member line can
 * produce it: nicknames have no asterisk, an action's token is a lone `*`, a direct message's is
 * `*NAME*`, another room's line starts with `[#room]`.
 */
export const NOTICE_SENDER = '***';

/** Sender token of an action (`/me`), as IRC shows it: `* alice waves`. */
export const ACTION_SENDER = '*';

const CLIENT_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?(?: |$)/;
const SERVER_PAYLOAD = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (\S+)(?: ([\s\S]*))?$/;

/** Strips the seed client's leading timestamp, if any; a payload without one is all text. */
export function parseClientPayload(payload: string): string {
  const match = CLIENT_TIMESTAMP.exec(payload);
  return match === null ? payload : payload.slice(match[0].length);
}

/** `YYYY-MM-DD HH:MM:SS` in UTC for an epoch-milliseconds time. */
export function formatTimestamp(epochMs: number): string {
  // toISOString is `YYYY-MM-DDTHH:MM:SS.sssZ`; its first 19 characters are what we need.
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Parses `YYYY-MM-DD HH:MM:SS` (UTC) back to epoch milliseconds; NaN when malformed. */
export function parseTimestamp(timestamp: string): number {
  return Date.parse(`${timestamp.replace(' ', 'T')}Z`);
}

/** The seed client's own outgoing form: a timestamp then the text, so the text is kept verbatim. */
export function formatClientPayload(epochMs: number, text: string): string {
  return `${formatTimestamp(epochMs)} ${text}`;
}

export function formatServerPayload(timestamp: string, sender: string, text: string): string {
  return `${timestamp} ${sender} ${text}`;
}

export interface ServerPayload {
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  timestamp: string;
  sender: string;
  text: string;
}

/** Reads a server → client payload; null when it does not have the `DATE TIME SENDER` prefix. */
export function parseServerPayload(payload: string): ServerPayload | null {
  const match = SERVER_PAYLOAD.exec(payload);
  if (match === null) return null;
  return { timestamp: `${match[1]} ${match[2]}`, sender: match[3]!, text: match[4] ?? '' };
}

/**
 * On both text wires (framed and line) a message is one line: a line break inside it is sent as
 * U+2424 (SYMBOL FOR NEWLINE, "␤"), visible, never a line break, so no message can make a client
 * show a line that looks like another member's or the server's (the seed's client prints frames
 * as they come). `switchboard connect` shows ␤ as an indented continuation line; the WebSocket
 * form keeps real newlines.
 */
export const LINE_NEWLINE_SYMBOL = '\u2424';

export function toSingleLine(text: string): string {
  return text.includes('\n') ? text.replaceAll('\n', LINE_NEWLINE_SYMBOL) : text;
}
