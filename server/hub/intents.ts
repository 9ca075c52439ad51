import type { ResumePoint } from '../channel/channel-history.js';

/**
 * What a member asks of the server, whatever way it asked: a slash command typed on any
 * transport, a typed WebSocket event, an IRC verb, a bot API call. Every front end produces these
 * and the Hub executes them, so a command behaves the same everywhere. `room: null` means the
 * member's current room (text clients) or, for the page, the room its composer is in.
 */
export type Intent =
  | { type: 'say'; room: string | null; kind: 'chat' | 'action'; text: string }
  | { type: 'join'; room: string; resume?: ResumePoint }
  | { type: 'part'; room: string | null; reason: string }
  | { type: 'nick'; name: string }
  | { type: 'msg'; to: string; kind: 'chat' | 'action'; text: string }
  | { type: 'who'; room: string | null; quiet: boolean }
  | { type: 'rooms' }
  | { type: 'topic'; room: string | null; text: string | null }
  | { type: 'help' }
  | { type: 'quit'; reason: string }
  /** The server password (`/pass`, IRC PASS, the page's `pass` event); null: none was given. */
  | { type: 'pass'; secret: string | null }
  /** Room moderation (hub/moderation-runner.ts): operators only, or server operators anywhere. */
  | { type: 'op'; room: string | null; nick: string; give: boolean }
  | { type: 'kick'; room: string | null; nick: string; reason: string }
  /** `target` null: list the room's bans. `durationMs` null: until `/unban`. */
  | { type: 'ban'; room: string | null; target: string | null; durationMs: number | null }
  | { type: 'unban'; room: string | null; target: string }
  | { type: 'mute'; room: string | null; nick: string; give: boolean }
  /** `topic`: only operators set the topic (IRC +t); `talk`: only operators speak (IRC +m). */
  | { type: 'lock'; room: string | null; what: 'topic' | 'talk'; on: boolean }
  /** Become a server operator (`--admin NAME=SECRET`). */
  | { type: 'oper'; name: string; secret: string }
  /** A server operator closes a member's connection. */
  | { type: 'kill'; nick: string; reason: string }
  /** `--accounts`: make an account of NAME and log in as it; `login`: log in as one (the nick becomes NAME). */
  | { type: 'register'; name: string; password: string }
  | { type: 'login'; name: string; password: string }
  /** A command typed wrongly: the text says how to use it. */
  | { type: 'usage'; text: string }
  | { type: 'unknown'; command: string };

export type IntentType = Intent['type'];
