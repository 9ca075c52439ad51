import { ACTION_SENDER, NOTICE_SENDER, formatServerPayload, toSingleLine } from '../../shared/payload.js';
import { timestampOf } from '../message/clock.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';

/**
 * The text wires' form of a message (framed and line ports): `DATE TIME SENDER TEXT`, one line.
 * Which SENDER token a line has says what it is, and no member can produce another's token:
 *
 * | what                               | SENDER      | TEXT                      |
 * |------------------------------------|-------------|---------------------------|
 * | chat in the reader's current room  | `alice`     | `hello`                   |
 * | action there                       | `*`         | `alice waves`             |
 * | server notice                      | `***`       | `alice joined (tcp)`      |
 * | anything in another room           | `[#ops]`    | `alice: hello`, `* alice waves`, `*** bob left` |
 * | direct message                     | `*alice*`   | `psst` (an action: `* waves`) |
 *
 * Nicknames have no `*`, `#`, spaces or look-alikes of them, so `***`, `*`, `*NAME*` and `[#…]`
 * are the server's alone; line breaks inside a message are `␤` (see LINE_NEWLINE_SYMBOL).
 * `prefixed`: the message is about a room that is not the reader's current one.
 */
export function textPayload(message: OutgoingMessage, prefixed: boolean): string {
  const [sender, text] = senderAndText(message, prefixed);
  return formatServerPayload(timestampOf(message.time), sender, toSingleLine(text));
}

function senderAndText(message: OutgoingMessage, prefixed: boolean): [string, string] {
  const from = message.from?.name;
  if (message.kind === 'notice' || from === undefined) {
    return message.room !== null && prefixed ? [`[${message.room.name}]`, `${NOTICE_SENDER} ${message.text}`] : [NOTICE_SENDER, message.text];
  }
  if (message.to !== undefined) return [`*${from}*`, message.kind === 'action' ? `${ACTION_SENDER} ${message.text}` : message.text];
  if (message.room !== null && prefixed) {
    return [`[${message.room.name}]`, message.kind === 'action' ? `${ACTION_SENDER} ${from} ${message.text}` : `${from}: ${message.text}`];
  }
  return message.kind === 'action' ? [ACTION_SENDER, `${from} ${message.text}`] : [from, message.text];
}

/**
 * Whether a reader whose current room is `currentKey` gets the prefixed form: a message about a
 * room, that room not being its current one. Chat without a room (direct messages, server-wide
 * notices) is never prefixed.
 */
export function isPrefixedFor(message: OutgoingMessage, currentKey: string | null): boolean {
  return message.room !== null && message.room.key !== currentKey;
}
