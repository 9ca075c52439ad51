import type { Intent } from './intents.js';
import { parseDuration } from '../channel/room-moderation.js';

/** One slash command's parsing (see slash-commands.ts, which merges these into its table). */
export interface CommandSpec {
  usage: string;
  describe: string;
  parse(argument: string, room: string | null): Intent;
}

/** `#room rest`: the room named first, if the argument starts with one. */
export function leadingRoom(argument: string): { room: string | null; rest: string } {
  const match = /^(#\S*)(?:\s+([\s\S]*))?$/.exec(argument);
  if (match === null) return { room: null, rest: argument };
  return { room: match[1]!, rest: (match[2] ?? '').trim() };
}

/** `[#ROOM] NICK`: the room (or the current one) and the first word; null when no word is given. */
function roomAndWord(argument: string, room: string | null): { room: string | null; word: string; rest: string } | null {
  const named = leadingRoom(argument);
  const match = /^(\S+)\s*([\s\S]*)$/.exec(named.rest);
  if (match === null) return null;
  return { room: named.room ?? room, word: match[1]!, rest: match[2]!.trim() };
}

function usage(text: string): Intent {
  return { type: 'usage', text: `usage: ${text}` };
}

function onNick(command: string, make: (room: string | null, nick: string, rest: string) => Intent): CommandSpec['parse'] {
  return (argument, room) => {
    const parsed = roomAndWord(argument, room);
    return parsed === null ? usage(`/${command} [#ROOM] NICK`) : make(parsed.room, parsed.word, parsed.rest);
  };
}

function lock(on: boolean): CommandSpec['parse'] {
  return (argument, room) => {
    const parsed = roomAndWord(argument, room);
    const what = parsed?.word.toLowerCase();
    if (parsed === null || (what !== 'topic' && what !== 'talk')) return usage(`/${on ? 'lock' : 'unlock'} [#ROOM] topic|talk`);
    return { type: 'lock', room: parsed.room, what, on };
  };
}

/** The reason of a /kick or /kill, as one line (the same cut as /part's). */
type ReasonCut = (text: string) => string;

/** The operators' commands; `reason` cuts a kick or kill reason as /part's. */
export function moderationCommands(reason: ReasonCut): [string, CommandSpec][] {
  return [
    ['op', { usage: '/op [#ROOM] NICK', describe: 'make a member an operator of the room (operators)', parse: onNick('op', (room, nick) => ({ type: 'op', room, nick, give: true })) }],
    ['deop', { usage: '/deop [#ROOM] NICK', describe: 'take operator status away (operators)', parse: onNick('deop', (room, nick) => ({ type: 'op', room, nick, give: false })) }],
    [
      'kick',
      { usage: '/kick [#ROOM] NICK [REASON]', describe: 'remove a member from the room (operators)', parse: onNick('kick', (room, nick, rest) => ({ type: 'kick', room, nick, reason: reason(rest) })) },
    ],
    [
      'ban',
      {
        usage: '/ban [#ROOM] [NICK|MASK [DURATION]]',
        describe: 'keep a nickname or nick!transport@ip mask out of the room, for 10m/2h/1d or until /unban; none: list the bans (operators)',
        parse: (argument, room) => {
          const parsed = roomAndWord(argument, room);
          if (parsed === null) return { type: 'ban', room: leadingRoom(argument).room ?? room, target: null, durationMs: null };
          if (parsed.rest === '') return { type: 'ban', room: parsed.room, target: parsed.word, durationMs: null };
          const durationMs = parseDuration(parsed.rest);
          return durationMs === null ? usage('/ban [#ROOM] NICK|MASK [DURATION like 10m, 2h, 1d]') : { type: 'ban', room: parsed.room, target: parsed.word, durationMs };
        },
      },
    ],
    ['unban', { usage: '/unban [#ROOM] NICK|MASK', describe: 'lift a ban (operators)', parse: onNick('unban', (room, target) => ({ type: 'unban', room, target })) }],
    ['mute', { usage: '/mute [#ROOM] NICK', describe: 'stop a member speaking in the room (operators)', parse: onNick('mute', (room, nick) => ({ type: 'mute', room, nick, give: true })) }],
    ['unmute', { usage: '/unmute [#ROOM] NICK', describe: 'let a muted member speak again (operators)', parse: onNick('unmute', (room, nick) => ({ type: 'mute', room, nick, give: false })) }],
    ['lock', { usage: '/lock [#ROOM] topic|talk', describe: 'only operators set the topic, or speak (operators)', parse: lock(true) }],
    ['unlock', { usage: '/unlock [#ROOM] topic|talk', describe: 'undo a /lock (operators)', parse: lock(false) }],
    [
      'oper',
      {
        usage: '/oper NAME SECRET',
        describe: 'become a server operator (--admin)',
        parse: (argument) => {
          const match = /^(\S+)\s+(\S[\s\S]*)$/.exec(argument);
          return match === null ? usage('/oper NAME SECRET') : { type: 'oper', name: match[1]!, secret: match[2]! };
        },
      },
    ],
    [
      'kill',
      {
        usage: '/kill NICK [REASON]',
        describe: "close a member's connection (server operators)",
        parse: (argument) => {
          const match = /^(\S+)\s*([\s\S]*)$/.exec(argument);
          return match === null ? usage('/kill NICK [REASON]') : { type: 'kill', nick: match[1]!, reason: reason(match[2]!) };
        },
      },
    ],
  ];
}
