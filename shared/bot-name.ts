/**
 * Names of bots posting through the HTTP API (`POST /api/rooms/{room}/messages`). A bot is shown
 * as its name plus BOT_SUFFIX (`ci[bot]`) on every wire, and nicknames may not end with the suffix
 * (shared/nick.ts), so a member can never pass for a bot nor a bot for a member. The page and the
 * history API derive the `bot` marker from the name alone, so no store or wire format changes.
 */
export const BOT_SUFFIX = '[bot]';

/** A bot's own name (before the suffix): ASCII letters, digits, `_` and `-`, 1 to 24 characters. */
export const BOT_NAME = /^[A-Za-z0-9_-]{1,24}$/;

/** Why a bot name is refused, or null. */
export function botNameProblem(name: string): string | null {
  return BOT_NAME.test(name) ? null : 'a bot name has 1 to 24 ASCII letters, digits, _ or -';
}

/** `ci` → `ci[bot]`: the sender name every member sees. */
export function botSender(name: string): string {
  return `${name}${BOT_SUFFIX}`;
}

/** True for a sender name that only a bot can have. */
export function isBotName(sender: string): boolean {
  return sender.toLowerCase().endsWith(BOT_SUFFIX);
}
