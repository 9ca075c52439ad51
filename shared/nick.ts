import { rectifyConfusion } from 'unicode-confusables';
import { NICK_MAX_LENGTH, NICK_MIN_LENGTH } from './limits.js';
import { scriptMixProblem } from './nick-scripts.js';
import { BOT_SUFFIX } from './bot-name.js';

/**
 * The nickname policy (docs/protocol.md, "Nicknames"): a PRECIS-style profile (RFC 8265/8266)
 * plus UTS #39's confusable skeleton. Three functions, one for each question, used by everyone
 * who asks it (room, Redis claims, remote members, the page):
 *
 * - prepareNick: the form a name is shown in (width-mapped, NFC);
 * - nickProblem: why a name is refused, or null;
 * - nickKey: the one comparison: two names are the same name when their keys are equal.
 */

/**
 * Halfwidth and Fullwidth Forms: the block that holds every <wide> and <narrow> compatibility
 * character except U+3000 (a space, refused anyway). Width mapping (RFC 8265 §3.2) is NFKC on these.
 */
const WIDTH_FORM = /[\uff01-\uffee]/gu;

/**
 * Never part of a name: whitespace; control, format (bidi controls, zero-width joiners and spaces,
 * U+180E…), private-use, unassigned and noncharacter code points; default-ignorable ones (U+034F,
 * U+115F, U+3164, variation selectors…), which render as nothing; and ␤, which the line port
 * shows in place of a newline.
 */
const INVISIBLE =
  /[\p{White_Space}\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\u2424]/u;

/** What a name may start with: a letter, a digit, an emoji, or printable ASCII. */
const FIRST = /^[\p{L}\p{N}\p{Emoji_Presentation}\x21-\x7e]/u;

/** A soft-dotted letter (i, j, і…) with a combining dot above, which the letter's own dot hides. */
const HIDDEN_DOT = /(\p{Soft_Dotted})\u0307/u;
const HIDDEN_DOTS = new RegExp(HIDDEN_DOT.source, 'gu');
const SAME_MARK_TWICE = /(\p{Mn})\1/u;
/** UTS #39 §5.4: more nonspacing marks in a row than any language needs. */
const MARK_RUN = /\p{Mn}{5}/u;

/** The form a name is shown and stored in: full- and half-width forms mapped, then NFC. */
export function prepareNick(nick: string): string {
  return nick.replace(WIDTH_FORM, (char) => char.normalize('NFKC')).normalize('NFC');
}

/** UTS #39 skeleton: each character replaced by its prototype (confusables.txt), NFD before and after. */
function skeleton(text: string): string {
  return rectifyConfusion(text.normalize('NFD')).normalize('NFD');
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The bot suffix as nicknames are compared, so no look-alike of `[bot]` ends a nickname either. */
const BOT_SHAPE = skeleton(BOT_SUFFIX.normalize('NFKC'));

/**
 * Why a nickname is refused, or null when it is acceptable (it is checked in its prepared form).
 * A nickname is the SENDER token of the wire form and what other members know someone by, so it is
 * one visible token, and it must not read as an address (`ip:port`, the name of a member without a
 * nickname) or as the notice marker `*`, under any disguise.
 */
export function nickProblem(nick: string): string | null {
  const name = prepareNick(nick);
  const length = [...name].length;
  if (length < NICK_MIN_LENGTH || length > NICK_MAX_LENGTH) {
    return `a nickname has ${NICK_MIN_LENGTH} to ${NICK_MAX_LENGTH} characters`;
  }
  const invisible = INVISIBLE.exec(name);
  if (invisible !== null) {
    return `a nickname has no spaces, invisible, control or formatting characters (${codePoint(invisible[0])})`;
  }
  const shape = skeleton(name.normalize('NFKC'));
  if (shape.includes(':')) return 'a nickname has no colon or look-alike: names with colons are the addresses of members without a nickname';
  if (shape.includes('*')) return 'a nickname has no asterisk or look-alike: asterisks mark server notices, actions and direct messages';
  if (shape.includes('#')) return 'a nickname has no # or look-alike: # starts a room name';
  if (shape.toLowerCase().endsWith(BOT_SHAPE.toLowerCase()) || name.normalize('NFKC').toLowerCase().endsWith(BOT_SUFFIX)) return `a nickname does not end with ${BOT_SUFFIX}: it marks bots of the HTTP API`;
  if (!FIRST.test(name)) return 'a nickname starts with a letter, a digit, an emoji or an ASCII character';
  const decomposed = name.normalize('NFD');
  if (MARK_RUN.test(decomposed) || SAME_MARK_TWICE.test(decomposed) || HIDDEN_DOT.test(decomposed)) {
    return 'a nickname has no stacked, repeated or hidden accents';
  }
  const mixed = scriptMixProblem(name);
  if (mixed !== null) return `a nickname keeps to one script: ${mixed}`;
  return null;
}

/**
 * The one comparison of nicknames: two names are the same name (only one member may hold it) when
 * their keys are equal. The key folds width and compatibility forms (NFKC) and case, drops a dot
 * that an i already shows, and maps look-alikes to one prototype (the UTS #39 skeleton), so
 * `Alice`, `ａｌｉｃｅ`, `аlice` (Cyrillic а), `ɑlice`, `alıce` and `ALİCE` are all `alice`.
 * Since capital I's prototype is l and case is folded, i and l are one letter here: `aIice` (capital
 * i) is `alice` too, at the price of `Eli` and `Ell` being the same name.
 */
export function nickKey(nick: string): string {
  const folded = prepareNick(nick).normalize('NFKC').toUpperCase().toLowerCase();
  const undotted = folded.normalize('NFD').replace(HIDDEN_DOTS, '$1');
  return skeleton(undotted).toLowerCase().replaceAll('i', 'l');
}
