/**
 * The text every bench message carries: `~RUN SENDER SEQ SENT_US` then padding to a chat-sized
 * line. The same text goes through Switchboard, NATS and Socket.IO, so each server carries the
 * same bytes; receivers find it by the leading `~` and read it without allocating.
 */
/** Length of every bench message's text, in bytes (ASCII): a typical chat line. */
export const TEXT_BYTES = 64;

const PADDING = ' '.padEnd(TEXT_BYTES, 'x');
const TILDE = 0x7e;
const SPACE = 0x20;

export function formatMarker(run: number, sender: number, seq: number, sentUs: number): string {
  const head = `~${run} ${sender} ${seq} ${sentUs}`;
  return head.length >= TEXT_BYTES ? head : head + PADDING.slice(0, TEXT_BYTES - head.length);
}

/** Reused output of the parsers (one object per tracker, no allocation per message). */
export interface ParsedMarker {
  run: number;
  sender: number;
  seq: number;
  sentUs: number;
}

export function emptyMarker(): ParsedMarker {
  return { run: 0, sender: 0, seq: 0, sentUs: 0 };
}

/** Stores field `field` (0..3); true once the fourth is in. */
function store(into: ParsedMarker, field: number, value: number): boolean {
  if (field === 0) into.run = value;
  else if (field === 1) into.sender = value;
  else if (field === 2) into.seq = value;
  else into.sentUs = value;
  return field === 3;
}

/** Reads the four numbers after the `~` in bytes `buf[start, end)`; false when they are not a bench marker. */
export function parseMarkerBytes(buf: Uint8Array, start: number, end: number, into: ParsedMarker): boolean {
  if (buf[start] !== TILDE) return false;
  let field = 0;
  let value = 0;
  let digits = 0;
  for (let i = start + 1; i <= end; i += 1) {
    const code = i < end ? buf[i]! : SPACE;
    if (code >= 0x30 && code <= 0x39) {
      value = value * 10 + (code - 0x30);
      digits += 1;
      continue;
    }
    if (code !== SPACE || digits === 0) return false;
    if (store(into, field, value)) return true;
    field += 1;
    value = 0;
    digits = 0;
  }
  return false;
}
