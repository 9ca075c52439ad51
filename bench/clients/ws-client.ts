import type { BenchClient, ReceiveSink } from './bench-client.js';
import { TEXT_BYTES } from '../marker.js';
import { RawWebSocket } from './raw-websocket.js';

const MESSAGE_EVENT = Buffer.from('{"type":"message"');
const ERROR_EVENT = Buffer.from('{"type":"error"');
const ERROR_NOTICE = Buffer.from('{"type":"notice","kind":"error"');
const TEXT_FIELD = Buffer.from('"text":"~');
const ROOM_FIELD = Buffer.from('"room":"');
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const TILDE = 0x7e;
const CLOSE_BRACE = 0x7d;

/**
 * A client of Switchboard's `/ws`, as the page is, reading only what the bench needs: the
 * `text` of `message` events is found in the raw JSON (the bench text has no characters JSON
 * escapes), so the generator does not pay a JSON.parse per delivery. No Origin header: a tool,
 * not a browser, which the gateway allows.
 */
export class WsClient extends RawWebSocket implements BenchClient {
  readonly kind = 'ws' as const;

  private constructor(
    readonly index: number,
    httpPort: number,
    private readonly sink: ReceiveSink,
  ) {
    super(httpPort, '/ws');
  }

  static async connect(index: number, httpPort: number, sink: ReceiveSink): Promise<WsClient> {
    const client = new WsClient(index, httpPort, sink);
    await client.open();
    return client;
  }

  send(text: string): void {
    this.sendText(JSON.stringify({ type: 'send', text }));
  }

  protected onText(buf: Buffer, start: number, end: number): void {
    // Fast path, every bench delivery but the sender's own copy: the event ends
    // `"text":"~…","room":"#lobby"}` (toEvent adds the room last) and the bench text has a fixed
    // length, so it is found with a short backward scan over the room name instead of a search.
    const textEnd = textEndBeforeRoom(buf, start, end);
    const textStart = textEnd - TEXT_BYTES;
    if (textStart > start && buf[textEnd] === QUOTE && buf[textStart] === TILDE && buf[textStart - 1] === QUOTE && buf[textStart - 2] === COLON) {
      this.sink.onMarkerBytes(this.index, buf, textStart, textEnd);
      return;
    }
    if (startsWith(buf, start, end, MESSAGE_EVENT)) {
      // A message event always has its text field, so this search stays inside the event.
      const at = buf.indexOf(TEXT_FIELD, start);
      if (at === -1 || at >= end) return;
      const textStart = at + TEXT_FIELD.length - 1;
      const textEnd = buf.indexOf(QUOTE, textStart);
      if (textEnd !== -1 && textEnd < end) this.sink.onMarkerBytes(this.index, buf, textStart, textEnd);
      return;
    }
    // Refusals: `error` events, and notices of kind `error` (most notices are joins).
    if (startsWith(buf, start, end, ERROR_EVENT) || startsWith(buf, start, end, ERROR_NOTICE)) this.sink.onServerError(this.index, buf.toString('utf8', start, end));
  }
}

/** Longest `","room":"#…"}` tail looked at: a room name is at most 50 characters of up to 4 bytes. */
const MAX_ROOM_TAIL = 220;

/**
 * Where the last field before `,"room":"…"}` ends (its closing quote), or `end - 2` (the quote of
 * `"}`) when the event has no room tail; -1 when it ends otherwise. Room names hold no quote.
 */
function textEndBeforeRoom(buf: Buffer, start: number, end: number): number {
  if (buf[end - 1] !== CLOSE_BRACE || buf[end - 2] !== QUOTE) return -1;
  const floor = Math.max(start, end - MAX_ROOM_TAIL);
  let open = end - 3;
  while (open > floor && buf[open] !== QUOTE) open -= 1;
  const fieldAt = open - ROOM_FIELD.length + 1;
  if (fieldAt > start && startsWith(buf, fieldAt, open + 1, ROOM_FIELD) && buf[fieldAt - 1] === COMMA) return fieldAt - 2;
  return end - 2;
}

function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (buf[start + i] !== prefix[i]) return false;
  return true;
}
