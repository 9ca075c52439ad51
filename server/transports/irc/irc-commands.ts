import type { IrcMessage } from '../../../shared/irc-message.js';
import { fromIrcNick } from '../../../shared/irc-nick.js';
import { prepareNick } from '../../../shared/nick.js';
import { prepareRoomName, roomNameProblem } from '../../../shared/room-name.js';
import { isBlank, sanitizeText } from '../../../shared/text.js';
import { oneLineReason } from '../../hub/slash-commands.js';
import { CTCP } from './irc-form.js';
import { ERR, RPL } from './irc-numerics.js';
import { type IrcCap, type IrcPeer, offeredCaps } from './irc-peer.js';
import { isNickServ, nickServ } from './irc-nickserv.js';
import { SASL_MECHANISMS, authenticate } from './irc-sasl.js';
import { kick, kill, mode, oper, slashCommand } from './irc-moderation.js';
import { findChannel, findMember, ison, list, names, userhost, who, whois } from './irc-queries.js';
import { lusers, motd, version } from './irc-server-info.js';

/** What every handler gets: the peer, and the AWAY messages of this listener's members. */
export interface IrcCommandContext {
  peer: IrcPeer;
  awayOf(id: number): string;
  setAway(id: number, text: string): void;
}

export type Handler = (context: IrcCommandContext, params: string[]) => void;

/** Targets one PRIVMSG may name (`a,b,#c`): more would make one line an amplifier. */
const MAX_TARGETS = 4;

function cap({ peer }: IrcCommandContext, params: string[]): void {
  const sub = (params[0] ?? '').toUpperCase();
  const nick = peer.registered ? peer.nick() : '*';
  switch (sub) {
    case 'LS': {
      if (!peer.registered) peer.capNegotiating = true;
      // CAP LS 302 and later take values: `sasl=PLAIN` names the mechanisms.
      const values = Number(params[1] ?? '0') >= 302;
      const offered = offeredCaps(peer.hub).map((name) => (name === 'sasl' && values ? `sasl=${SASL_MECHANISMS}` : name));
      peer.send(`:${peer.serverName} CAP ${nick} LS :${offered.join(' ')}`);
      return;
    }
    case 'LIST':
      peer.send(`:${peer.serverName} CAP ${nick} LIST :${[...peer.caps].join(' ')}`);
      return;
    case 'REQ': {
      if (!peer.registered) peer.capNegotiating = true;
      const asked = (params[1] ?? '').split(' ').filter((word) => word !== '');
      const known = (word: string): boolean => (offeredCaps(peer.hub) as readonly string[]).includes(word.replace(/^-/, ''));
      if (asked.length === 0 || !asked.every(known)) {
        peer.send(`:${peer.serverName} CAP ${nick} NAK :${params[1] ?? ''}`);
        return;
      }
      for (const word of asked) {
        if (word.startsWith('-')) peer.caps.delete(word.slice(1) as IrcCap);
        else peer.caps.add(word as IrcCap);
      }
      peer.send(`:${peer.serverName} CAP ${nick} ACK :${asked.join(' ')}`);
      return;
    }
    case 'END':
      peer.capNegotiating = false;
      peer.completeRegistration();
      return;
    default:
      peer.numeric('410', sub, 'Invalid CAP command');
  }
}

function nick({ peer }: IrcCommandContext, params: string[]): void {
  const asked = params[0];
  if (asked === undefined || asked === '') {
    peer.numeric(ERR.NONICKNAMEGIVEN, 'No nickname given');
    return;
  }
  const name = prepareNick(fromIrcNick(asked));
  if (peer.session.nick === name) return;
  // Logged in by SASL before registration: the account's nickname it is, whatever NICK says
  // (irssi sends NICK after CAP END); 001 tells the client.
  if (!peer.registered && peer.session.account !== null) return;
  peer.pendingNick = asked;
  // No nickname is claimed (or seen by anyone) before the server password is checked; with
  // accounts, none during CAP negotiation either: SASL may log in and give the account's name.
  if (!peer.session.authenticated || (peer.capNegotiating && !peer.registered && peer.hub.accounts !== null)) {
    peer.deferredNick = name;
    peer.completeRegistration();
    return;
  }
  peer.hub.execute(peer.session, { type: 'nick', name });
}

/** PASS: kept until registration completes, when the hub checks it (as ergo and RFC 2812 do). */
function pass({ peer }: IrcCommandContext, params: string[]): void {
  const secret = params[0];
  if (secret === undefined) {
    peer.numeric(ERR.NEEDMOREPARAMS, 'PASS', 'Not enough parameters');
    return;
  }
  peer.offeredPassword = secret;
}

function user({ peer }: IrcCommandContext, params: string[]): void {
  if (peer.registered) {
    peer.numeric(ERR.ALREADYREGISTERED, 'You may not reregister');
    return;
  }
  if (params.length < 4) {
    peer.numeric(ERR.NEEDMOREPARAMS, 'USER', 'Not enough parameters');
    return;
  }
  peer.userGiven = true;
  peer.completeRegistration();
}

function ping({ peer }: IrcCommandContext, params: string[]): void {
  if (params.length === 0) {
    peer.numeric(ERR.NEEDMOREPARAMS, 'PING', 'Not enough parameters');
    return;
  }
  peer.send(`:${peer.serverName} PONG ${peer.serverName} :${params[0]}`);
}

function quit({ peer }: IrcCommandContext, params: string[]): void {
  peer.hub.execute(peer.session, { type: 'quit', reason: oneLineReason(params[0] ?? '') });
}

function join({ peer }: IrcCommandContext, params: string[]): void {
  const targets = params[0];
  if (targets === undefined || targets === '') {
    peer.numeric(ERR.NEEDMOREPARAMS, 'JOIN', 'Not enough parameters');
    return;
  }
  if (targets === '0') {
    for (const channel of [...peer.session.rooms.values()]) peer.hub.execute(peer.session, { type: 'part', room: channel.name, reason: '' });
    return;
  }
  for (const name of targets.split(',')) {
    if (name === '') continue;
    const prepared = prepareRoomName(name);
    if (!name.startsWith('#') || roomNameProblem(prepared) !== null) {
      peer.numeric(ERR.BADCHANNAME, name, `Illegal channel name: ${roomNameProblem(prepared) ?? 'a channel name starts with #'}`);
      continue;
    }
    const channel = findChannel(peer.hub, prepared);
    if (channel !== undefined && peer.session.rooms.has(channel.key)) continue;
    peer.hub.execute(peer.session, { type: 'join', room: prepared });
  }
}

function part({ peer }: IrcCommandContext, params: string[]): void {
  const targets = params[0];
  if (targets === undefined || targets === '') {
    peer.numeric(ERR.NEEDMOREPARAMS, 'PART', 'Not enough parameters');
    return;
  }
  for (const name of targets.split(',')) {
    const channel = findChannel(peer.hub, name);
    if (channel === undefined) peer.numeric(ERR.NOSUCHCHANNEL, name, 'No such channel');
    else if (!peer.session.rooms.has(channel.key)) peer.numeric(ERR.NOTONCHANNEL, name, "You're not on that channel");
    else peer.hub.execute(peer.session, { type: 'part', room: channel.name, reason: oneLineReason(params[1] ?? '') });
  }
}

/** `\x01ACTION waves\x01` → an action; other CTCP requests (VERSION, PING…) are not relayed. */
function textOf(raw: string): { kind: 'chat' | 'action'; text: string } | null {
  if (!raw.startsWith(CTCP)) return { kind: 'chat', text: raw };
  const body = raw.endsWith(CTCP) ? raw.slice(1, -1) : raw.slice(1);
  if (body.toUpperCase().startsWith('ACTION ')) return { kind: 'action', text: body.slice(7) };
  return null;
}

function message(command: 'PRIVMSG' | 'NOTICE'): Handler {
  return function sendText({ peer }: IrcCommandContext, params: string[]): void {
    // NOTICE never gets an error reply (RFC 2812 §3.3.2): no loops between automatons.
    const quiet = command === 'NOTICE';
    if (params.length === 0 || params[0] === '') {
      if (!quiet) peer.numeric(ERR.NORECIPIENT, `No recipient given (${command})`);
      return;
    }
    const said = textOf(params[1] ?? '');
    if (said === null) return;
    const text = sanitizeText(said.text);
    if (isBlank(text)) {
      if (!quiet) peer.numeric(ERR.NOTEXTTOSEND, 'No text to send');
      return;
    }
    for (const target of params[0]!.split(',').slice(0, MAX_TARGETS)) {
      if (target.startsWith('#')) {
        const channel = findChannel(peer.hub, target);
        if (channel === undefined || !peer.session.rooms.has(channel.key)) {
          if (!quiet) peer.numeric(channel === undefined ? ERR.NOSUCHCHANNEL : ERR.CANNOTSENDTOCHAN, target, channel === undefined ? 'No such channel' : 'Cannot send to channel (join it first)');
          continue;
        }
        peer.hub.execute(peer.session, { type: 'say', room: channel.name, kind: said.kind, text });
        continue;
      }
      if (isNickServ(peer, target)) {
        if (!quiet) nickServ(peer, text);
        continue;
      }
      const member = findMember(peer.hub, target);
      if (member === null) {
        if (!quiet) peer.numeric(ERR.NOSUCHNICK, target, 'No such nick/channel');
        continue;
      }
      peer.hub.execute(peer.session, { type: 'msg', to: member.name, kind: said.kind, text });
    }
  };
}

function topic({ peer }: IrcCommandContext, params: string[]): void {
  const name = params[0];
  if (name === undefined || name === '') {
    peer.numeric(ERR.NEEDMOREPARAMS, 'TOPIC', 'Not enough parameters');
    return;
  }
  const channel = findChannel(peer.hub, name);
  if (channel === undefined) {
    peer.numeric(ERR.NOSUCHCHANNEL, name, 'No such channel');
    return;
  }
  if (params.length < 2) {
    if (channel.topic === '') peer.numeric(RPL.NOTOPIC, channel.name, 'No topic is set');
    else peer.numeric(RPL.TOPIC, channel.name, channel.topic);
    return;
  }
  if (!peer.session.rooms.has(channel.key)) {
    peer.numeric(ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
    return;
  }
  peer.hub.execute(peer.session, { type: 'topic', room: channel.name, text: sanitizeText(params[1]!) });
}

function away({ peer, setAway }: IrcCommandContext, params: string[]): void {
  const text = params[0] ?? '';
  setAway(peer.session.id, text);
  if (text === '') peer.numeric(RPL.UNAWAY, 'You are no longer marked as being away');
  else peer.numeric(RPL.NOWAWAY, 'You have been marked as being away');
}

const IGNORED: Handler = () => undefined;

/** Commands allowed before registration (RFC 2812 §3.1); anything else gets 451 until then. */
const REGISTRATION: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['CAP', cap],
  ['NICK', nick],
  ['USER', user],
  ['PASS', pass],
  ['AUTHENTICATE', authenticate],
  ['PING', ping],
  ['PONG', IGNORED],
  ['QUIT', quit],
]);

const COMMANDS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['JOIN', join],
  ['PART', part],
  ['PRIVMSG', message('PRIVMSG')],
  ['NOTICE', message('NOTICE')],
  ['TOPIC', topic],
  ['NAMES', ({ peer }, params) => names(peer, params)],
  ['WHO', ({ peer, awayOf }, params) => who(peer, params, awayOf)],
  ['WHOIS', ({ peer, awayOf }, params) => whois(peer, params, awayOf)],
  ['LIST', ({ peer }) => list(peer)],
  ['MODE', mode],
  ['KICK', kick],
  ['OPER', oper],
  ['KILL', kill],
  ['MUTE', slashCommand('mute')],
  ['UNMUTE', slashCommand('unmute')],
  ['UNBAN', slashCommand('unban')],
  ['LOCK', slashCommand('lock')],
  ['UNLOCK', slashCommand('unlock')],
  ['AWAY', away],
  ['ISON', ({ peer }, params) => ison(peer, params)],
  ['USERHOST', ({ peer, awayOf }, params) => userhost(peer, params, awayOf)],
  ['MOTD', ({ peer }) => motd(peer)],
  ['VERSION', ({ peer }) => version(peer)],
  ['LUSERS', ({ peer }) => lusers(peer)],
]);

/** Runs one parsed line for a member (already past the flood limit). */
export function runIrcCommand(context: IrcCommandContext, line: IrcMessage): void {
  const { peer } = context;
  const early = REGISTRATION.get(line.command);
  if (early !== undefined) {
    if (line.command === 'PASS' && peer.registered) peer.numeric(ERR.ALREADYREGISTERED, 'You may not reregister');
    else early(context, line.params);
    return;
  }
  const handler = COMMANDS.get(line.command);
  if (!peer.registered) {
    peer.numeric(ERR.NOTREGISTERED, 'You have not registered');
    return;
  }
  if (handler === undefined) peer.numeric(ERR.UNKNOWNCOMMAND, line.command, 'Unknown command');
  else handler(context, line.params);
}

