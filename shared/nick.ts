import { NICK_MAX_LENGTH, NICK_MIN_LENGTH } from './limits.js';
import { NOTICE_SENDER } from './payload.js';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\s:\u0000-\u001f\u007f-\u009f\u2028\u2029\u2424]/u;

/**
 * Why a nickname is refused, or null when it is acceptable. A nickname is the SENDER token of the
 * wire form, so it must be one token: no whitespace or control characters, and not the notice
 * marker `*`. Length counts code points, so an emoji is one character.
 */
export function nickProblem(nick: string): string | null {
  const length = [...nick].length;
  if (length < NICK_MIN_LENGTH || length > NICK_MAX_LENGTH) {
    return `a nickname has ${NICK_MIN_LENGTH} to ${NICK_MAX_LENGTH} characters`;
  }
  if (FORBIDDEN.test(nick)) {
    // ':' is kept for the ip:port names of members without a nickname, so none can be impersonated.
    return 'a nickname has no spaces, colons or control characters';
  }
  if (nick === NOTICE_SENDER) return `"${NOTICE_SENDER}" is reserved for server notices`;
  return null;
}

/** Uniqueness is case-insensitive and width-insensitive: "Alice", "alice" and "ａｌｉｃｅ" are one. */
export function nickKey(nick: string): string {
  return nick.normalize('NFKC').toLowerCase();
}
