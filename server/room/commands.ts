import type { Member } from './member.js';
import type { Room } from './room.js';

/** Text of `/help`, also what an unknown command points to. */
export const HELP_TEXT =
  'commands: /nick NAME (set your nickname), /me ACTION (say what you do), /who (list members), /help';

type CommandHandler = (room: Room, member: Member, argument: string) => void;

function nickCommand(room: Room, member: Member, argument: string): void {
  if (argument.length === 0) {
    room.noticeTo(member, `your name is ${member.name}; usage: /nick NAME`);
    return;
  }
  room.setNick(member, argument);
}

function meCommand(room: Room, member: Member, argument: string): void {
  if (argument.length === 0) {
    room.noticeTo(member, 'usage: /me ACTION');
    return;
  }
  room.say(member, 'action', argument);
}

function whoCommand(room: Room, member: Member): void {
  room.sendWho(member);
}

function helpCommand(room: Room, member: Member): void {
  room.noticeTo(member, HELP_TEXT);
}

const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ['nick', nickCommand],
  ['me', meCommand],
  ['who', whoCommand],
  ['help', helpCommand],
]);

/**
 * Runs a `/command`. Text starting with `//` is an escape: it is said as chat with one slash
 * removed, so a member can still say "/etc is a folder" as `//etc is a folder`.
 * Returns false when the text is not a command at all.
 */
export function runCommand(room: Room, member: Member, text: string): boolean {
  if (!text.startsWith('/')) return false;
  if (text.startsWith('//')) {
    room.say(member, 'chat', text.slice(1));
    return true;
  }
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(text);
  const name = (match?.[1] ?? '').toLowerCase();
  const argument = (match?.[2] ?? '').trim();
  const handler = COMMANDS.get(name);
  if (handler === undefined) {
    room.noticeTo(member, `unknown command /${name}; ${HELP_TEXT}`, 'error', 'SB_ERR_UNKNOWN_COMMAND');
    return true;
  }
  handler(room, member, argument);
  return true;
}
