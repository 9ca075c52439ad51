import { styleText } from 'node:util';
import { ACTION_SENDER, LINE_NEWLINE_SYMBOL, NOTICE_SENDER, parseServerPayload, parseTimestamp } from '../../shared/payload.js';

/** `HH:MM:SS` in the reader's local time zone (the wire carries UTC). */
export function localTime(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/**
 * One incoming payload as the terminal shows it (see server/transports/text-form.ts for what each
 * SENDER token means): `[14:02:07] alice: hello`, actions `[14:02:07] * alice waves`, notices
 * `[14:02:07] *** bob joined (tcp)`, another room `[14:02:07] [#ops] alice: hi`, a direct message
 * `[14:02:07] *alice* psst`. A line break inside a message (sent as ␤, so no message can forge a
 * line) is shown as an indented continuation line. A payload that is not in the server form is
 * shown as it came.
 */
export function formatIncoming(payload: string, color: boolean): string {
  const parsed = parseServerPayload(payload);
  if (parsed === null) return payload;
  const time = `[${localTime(parseTimestamp(parsed.timestamp))}]`;
  const { sender } = parsed;
  const text = parsed.text.replaceAll(LINE_NEWLINE_SYMBOL, `\n${' '.repeat(time.length + 1)}`);
  const spoken = sender !== NOTICE_SENDER && sender !== ACTION_SENDER && !sender.startsWith('[') && !sender.startsWith('*');
  const head = spoken ? `${sender}: ` : `${sender} `;
  if (!color) return `${time} ${head}${text}`;
  if (sender === NOTICE_SENDER) return `${styleText('dim', time)} ${styleText('yellow', `${head}${text}`)}`;
  if (!spoken) return `${styleText('dim', time)} ${styleText('magenta', head)}${text}`;
  return `${styleText('dim', time)} ${styleText(['bold', 'cyan'], sender)}: ${text}`;
}
