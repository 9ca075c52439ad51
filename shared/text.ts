/**
 * Message text rules, applied by the room to text from every transport alike.
 * Decision: control characters are stripped, not refused: CR/LF are normalised to LF (a message
 * may hold newlines), TAB is kept, every other C0 control, DEL and C1 control is removed. That
 * keeps terminals of other members safe from escape sequences while a stray byte from a telnet
 * client does not cost its sender the message.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const STRIPPED_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const CRLF_OR_CR = /\r\n?/g;
/**
 * U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are line breaks to JavaScript, Python's
 * `splitlines()` and many terminals: they become LF like CR, so every transport treats a line
 * break the same (the text wires then show it as ␤).
 */
const UNICODE_BREAKS = /[\u2028\u2029]/g;

export function sanitizeText(text: string): string {
  let out = text.includes('\r') ? text.replace(CRLF_OR_CR, '\n') : text;
  UNICODE_BREAKS.lastIndex = 0;
  if (UNICODE_BREAKS.test(out)) out = out.replace(UNICODE_BREAKS, '\n');
  STRIPPED_CONTROLS.lastIndex = 0;
  if (STRIPPED_CONTROLS.test(out)) out = out.replace(STRIPPED_CONTROLS, '');
  return out;
}

/** A message with nothing but whitespace carries nothing; the room ignores it. */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}
