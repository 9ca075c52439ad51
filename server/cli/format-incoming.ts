import { styleText } from 'node:util';
import { NOTICE_SENDER, parseServerPayload, parseTimestamp } from '../../shared/payload.js';

/** `HH:MM:SS` in the reader's local time zone (the wire carries UTC). */
export function localTime(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/**
 * One incoming payload as the terminal shows it: `[14:02:07] alice: hello`, notices as
 * `[14:02:07] * bob joined (tcp)`. Continuation lines of a multi-line message are indented under
 * the text. A payload that is not in the server form is shown as it came.
 */
export function formatIncoming(payload: string, color: boolean): string {
  const parsed = parseServerPayload(payload);
  if (parsed === null) return payload;
  const time = `[${localTime(parseTimestamp(parsed.timestamp))}]`;
  const notice = parsed.sender === NOTICE_SENDER;
  const head = notice ? `${time} * ` : `${time} ${parsed.sender}: `;
  const text = parsed.text.replaceAll('\n', `\n${' '.repeat(time.length + 1)}`);
  if (!color) return head + text;
  if (notice) return `${styleText('dim', time)} ${styleText('yellow', `* ${text}`)}`;
  return `${styleText('dim', time)} ${styleText(['bold', 'cyan'], parsed.sender)}: ${text}`;
}
