import { fromIrcNick } from '../../../shared/irc-nick.js';
import type { Intent } from '../../hub/intents.js';
import { oneLineReason, parseLine } from '../../hub/slash-commands.js';
import type { Handler, IrcCommandContext } from './irc-commands.js';
import { ERR, RPL } from './irc-numerics.js';
import type { IrcPeer } from './irc-peer.js';
import { findChannel } from './irc-queries.js';

/** Nicks one KICK removes at most (as PRIVMSG's targets). */
const MAX_KICK_TARGETS = 4;

/*
 * The IRC side of room moderation: MODE, KICK, OPER, KILL and Switchboard's own verbs, each
 * turned into the hub's intents (server/hub/moderation-runner.ts checks and announces them).
 */

/**
 * MODE: a channel's modes (324), its ban list (367/368), or changes: +o/-o NICK (operators),
 * +b/-b MASK (bans), +t/-t (topic lock), +m/-m (only operators speak), +q/-q NICK (a mute, as
 * Switchboard mutes one member rather than voicing the others). Each change is the same intent
 * as the slash command, so the hub checks and announces it (the channel sees `:op!… MODE …`).
 */
export function mode({ peer }: IrcCommandContext, params: string[]): void {
  const target = params[0];
  if (target === undefined || target === '') {
    peer.numeric(ERR.NEEDMOREPARAMS, 'MODE', 'Not enough parameters');
    return;
  }
  if (target.startsWith('#')) {
    const channel = findChannel(peer.hub, target);
    if (channel === undefined) peer.numeric(ERR.NOSUCHCHANNEL, target, 'No such channel');
    else if (params.length < 2) peer.numeric(RPL.CHANNELMODEIS, channel.name, channel.moderation.modeString());
    else if (/^[+-]?b$/.test(params[1]!) && params.length === 2) {
      for (const ban of channel.moderation.activeBans(peer.hub.clock())) peer.numeric(RPL.BANLIST, channel.name, ban.mask, ban.by);
      peer.numeric(RPL.ENDOFBANLIST, channel.name, 'End of channel ban list');
    } else changeModes(peer, channel.name, params[1]!, params.slice(2));
    return;
  }
  if (fromIrcNick(target) !== peer.session.name && target !== peer.nick()) {
    peer.numeric(ERR.USERSDONTMATCH, 'Cannot change mode for other users');
    return;
  }
  // Clients set +i or +w on connecting: accepted quietly, since no user mode means anything here.
  if (params.length < 2) peer.numeric(RPL.UMODEIS, '+');
}

/** `+ob-t alice bob!*@*`: each mode letter, in order, taking its argument where it has one. */
function changeModes(peer: IrcPeer, room: string, changes: string, args: string[]): void {
  let adding = true;
  const rest = [...args];
  for (const letter of changes) {
    if (letter === '+' || letter === '-') {
      adding = letter === '+';
      continue;
    }
    const intent = modeIntent(room, letter, adding, rest);
    if (intent === null) peer.numeric(ERR.UNKNOWNMODE, letter, 'is unknown mode char to me');
    else if (intent !== 'missing') peer.hub.execute(peer.session, intent);
  }
}

function modeIntent(room: string, letter: string, adding: boolean, args: string[]): Intent | 'missing' | null {
  switch (letter) {
    case 't':
    case 'm':
      return { type: 'lock', room, what: letter === 't' ? 'topic' : 'talk', on: adding };
    case 'n':
      return 'missing';
    case 'o':
    case 'q':
    case 'b': {
      const argument = args.shift();
      if (argument === undefined) return 'missing';
      if (letter === 'b') return adding ? { type: 'ban', room, target: argument, durationMs: null } : { type: 'unban', room, target: argument };
      const nick = fromIrcNick(argument);
      return letter === 'o' ? { type: 'op', room, nick, give: adding } : { type: 'mute', room, nick, give: adding };
    }
    default:
      return null;
  }
}

/** KICK #room nick[,nick] [:reason]. */
export function kick({ peer }: IrcCommandContext, params: string[]): void {
  if (params.length < 2) {
    peer.numeric(ERR.NEEDMOREPARAMS, 'KICK', 'Not enough parameters');
    return;
  }
  const channel = findChannel(peer.hub, params[0]!);
  if (channel === undefined) {
    peer.numeric(ERR.NOSUCHCHANNEL, params[0]!, 'No such channel');
    return;
  }
  for (const nick of params[1]!.split(',').slice(0, MAX_KICK_TARGETS)) {
    peer.hub.execute(peer.session, { type: 'kick', room: channel.name, nick: fromIrcNick(nick), reason: oneLineReason(params[2] ?? '') });
  }
}

/** OPER name secret: 381 once the hub made the member a server operator (491 otherwise, from its refusal). */
export function oper({ peer }: IrcCommandContext, params: string[]): void {
  if (params.length < 2) {
    peer.numeric(ERR.NEEDMOREPARAMS, 'OPER', 'Not enough parameters');
    return;
  }
  peer.hub.execute(peer.session, { type: 'oper', name: params[0]!, secret: params[1]! });
  if (peer.session.serverOperator) peer.numeric(RPL.YOUREOPER, 'You are now an IRC operator');
}

export function kill({ peer }: IrcCommandContext, params: string[]): void {
  if (params.length < 1) {
    peer.numeric(ERR.NEEDMOREPARAMS, 'KILL', 'Not enough parameters');
    return;
  }
  peer.hub.execute(peer.session, { type: 'kill', nick: fromIrcNick(params[0]!), reason: oneLineReason(params[1] ?? '') });
}

/** Switchboard's own commands an IRC client sends raw (irssi's `/mute alice` is `MUTE alice`): as the slash command. */
export function slashCommand(verb: string): Handler {
  return function asSlashCommand({ peer }: IrcCommandContext, params: string[]): void {
    peer.hub.execute(peer.session, parseLine(`/${verb} ${params.join(' ')}`, peer.session.current?.name ?? null));
  };
}
