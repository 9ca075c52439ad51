import type { Intent } from './intents.js';
import { accountCommands } from './account-commands.js';
import { type CommandSpec, leadingRoom, moderationCommands } from './moderation-commands.js';

/** Characters of a `/quit` or `/part` reason shown to the others; it goes into leave notices. */
export const REASON_MAX = 100;

/** The reason as one line (a leave notice is one line everywhere), cut to REASON_MAX characters. */
export function oneLineReason(argument: string): string {
  const characters = [...argument.replace(/\s+/g, ' ').trim()];
  return characters.length <= REASON_MAX ? characters.join('') : `${characters.slice(0, REASON_MAX - 1).join('')}…`;
}

const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  [
    'join',
    {
      usage: '/join #ROOM',
      describe: 'join a room (made if new) and talk there',
      parse: (argument) => (argument === '' ? { type: 'usage', text: 'usage: /join #ROOM' } : { type: 'join', room: argument.split(/\s/)[0]! }),
    },
  ],
  [
    'part',
    {
      usage: '/part [#ROOM] [REASON]',
      describe: 'leave a room (this one if none is named)',
      parse: (argument, room) => {
        const named = leadingRoom(argument);
        return { type: 'part', room: named.room ?? room, reason: oneLineReason(named.rest) };
      },
    },
  ],
  [
    'msg',
    {
      usage: '/msg NICK TEXT',
      describe: 'a direct message to one member',
      parse: (argument) => {
        const match = /^(\S+)\s+([\s\S]+)/.exec(argument);
        return match === null ? { type: 'usage', text: 'usage: /msg NICK TEXT' } : { type: 'msg', to: match[1]!, kind: 'chat', text: match[2]! };
      },
    },
  ],
  ['rooms', { usage: '/rooms', describe: 'list the rooms', parse: () => ({ type: 'rooms' }) }],
  [
    'topic',
    {
      usage: '/topic [#ROOM] [TEXT]',
      describe: "show or set a room's topic",
      parse: (argument, room) => {
        const named = leadingRoom(argument);
        return { type: 'topic', room: named.room ?? room, text: named.rest === '' ? null : named.rest };
      },
    },
  ],
  [
    'who',
    {
      usage: '/who [#ROOM]',
      describe: "list a room's members",
      parse: (argument, room) => ({ type: 'who', room: leadingRoom(argument).room ?? room, quiet: false }),
    },
  ],
  [
    'nick',
    {
      usage: '/nick NAME',
      describe: 'set your nickname',
      parse: (argument) => (argument === '' ? { type: 'usage', text: 'usage: /nick NAME' } : { type: 'nick', name: argument }),
    },
  ],
  [
    'me',
    {
      usage: '/me ACTION',
      describe: 'say what you do',
      parse: (argument, room) => (argument === '' ? { type: 'usage', text: 'usage: /me ACTION' } : { type: 'say', room, kind: 'action', text: argument }),
    },
  ],
  ['quit', { usage: '/quit [REASON]', describe: 'leave the server', parse: (argument) => ({ type: 'quit', reason: oneLineReason(argument) }) }],
  [
    'pass',
    {
      usage: '/pass PASSWORD',
      describe: 'the server password, as the first message, on a server that has one',
      parse: (argument) => (argument === '' ? { type: 'usage', text: 'usage: /pass PASSWORD' } : { type: 'pass', secret: argument }),
    },
  ],
  ...accountCommands(),
  ...moderationCommands(oneLineReason),
  ['help', { usage: '/help', describe: 'this list', parse: () => ({ type: 'help' }) }],
]);

/** Text of `/help`, also what an unknown command points to; built from the table above. */
export const HELP_TEXT = `commands: ${[...COMMANDS.values()].map((spec) => `${spec.usage} (${spec.describe})`).join(', ')}; //TEXT says /TEXT`;

/**
 * A line of text as an intent. Text not starting with `/` is said in `room`; text starting with
 * `//` is an escape for a line that itself starts with a slash (`//etc is a folder` says
 * `/etc is a folder`). A line starting with `#` is not special: `#ops hi` is said as it is.
 */
export function parseLine(text: string, room: string | null): Intent {
  if (!text.startsWith('/')) return { type: 'say', room, kind: 'chat', text };
  if (text.startsWith('//')) return { type: 'say', room, kind: 'chat', text: text.slice(1) };
  // The word right after the slash (maybe empty: `\S*` matches at the start of any text, so there
  // is always a match) is the command's name; the rest, without the spaces at its ends, its argument.
  const match = /(\S*)([\s\S]*)/.exec(text.slice(1))!;
  const name = match[1]!.toLowerCase();
  const argument = match[2]!.trim();
  const spec = COMMANDS.get(name);
  if (spec === undefined) return { type: 'unknown', command: name };
  return spec.parse(argument, room);
}
