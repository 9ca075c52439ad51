/**
 * How a Switchboard name looks on IRC, and back (docs/irc.md, "Nicknames").
 *
 * Switchboard nicknames may hold letters of any script, emoji, and ASCII punctuation that IRC
 * nicknames cannot (`.`, `!`, `@`, `,`…); a member without a nickname is named by its address
 * (`127.0.0.1:50312`). IRC nicknames are RFC 2812's: a letter or one of ``[]\`_^{|}`` first, then
 * also digits and `-`. The mapping is a bijection between the two sets of names:
 *
 * - a name that is already an IRC nickname and does not start with `|` is itself (`ada`, `bob|away`);
 * - any other name is `|` followed by the name with every character outside
 *   ``A-Za-z0-9[]\`_^{}-`` (and `|` itself) written as `|HEX|`, HEX its code point in lower-case
 *   hexadecimal: `José` is `|Jos|e9|`, `127.0.0.1:50312` is `|127|2e|0|2e|0|2e|1|3a|50312`.
 *
 * Names that need the escape are rare in practice (IRC users pick IRC nicknames); the escaped
 * form is long but exact, so a direct message to it reaches the right member.
 */

/** RFC 2812 `nickname`, not starting with `|` (which marks the escaped forms). */
const PLAIN_NICK = /^[A-Za-z[\]\\`_^{}][A-Za-z0-9[\]\\`_^{|}-]*$/;
/** Characters written as themselves inside an escaped name. */
const KEPT = /[A-Za-z0-9[\]\\`_^{}-]/;
const ESCAPE = /\|([0-9a-f]{1,6})\|/g;

/** The IRC form of a Switchboard name. */
export function toIrcNick(name: string): string {
  if (PLAIN_NICK.test(name)) return name;
  let out = '|';
  for (const char of name) out += KEPT.test(char) ? char : `|${char.codePointAt(0)!.toString(16)}|`;
  return out;
}

/**
 * The Switchboard name an IRC client means: the inverse of toIrcNick for its forms, and any
 * other text as it is (a UTF-8 nickname typed in a client that allows them).
 */
export function fromIrcNick(form: string): string {
  if (!form.startsWith('|') || form.length < 2) return form;
  const body = form.slice(1);
  const decoded = body.replace(ESCAPE, (_match, hex: string) => {
    const code = Number.parseInt(hex, 16);
    // Not a character: above U+10FFFF, or a surrogate (alone it is no text, and UTF-8 cannot carry it).
    return code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  });
  return decoded;
}
