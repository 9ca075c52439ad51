import type { MemberInfo } from '../../../shared/events.js';
import { toIrcNick, fromIrcNick } from '../../../shared/irc-nick.js';
import { nickKey } from '../../../shared/nick.js';
import type { Channel } from '../../channel/channel.js';
import type { Hub } from '../../hub/hub.js';
import { IRC_LINE_BYTES } from './irc-form.js';
import { ERR, RPL } from './irc-numerics.js';
import type { IrcPeer } from './irc-peer.js';

/**
 * The read-only IRC commands (NAMES, WHO, WHOIS, LIST, ISON, USERHOST): answered from what the
 * hub shows every member (rooms, their members, nicknames), as numerics.
 */

/** The member an IRC nickname names, on this instance or another (`--redis`), or null. */
export function findMember(hub: Hub, ircNick: string): MemberInfo | null {
  const name = fromIrcNick(ircNick);
  const key = nickKey(name);
  const local = hub.nicks.holder(key);
  if (local !== undefined) return local.info();
  const remote = hub.link?.remoteByNick(key);
  if (remote !== undefined) return remote.info;
  for (const session of hub.sessions.values()) if (session.nick === null && session.authenticated && session.address === name) return session.info();
  return null;
}

/** A room by the name an IRC client gives, if the hub holds it. */
export function findChannel(hub: Hub, name: string): Channel | undefined {
  return name.startsWith('#') ? hub.rooms.find(name) : undefined;
}

/** `H` here or `G` gone (AWAY) for IRC members of this instance; others are always here. */
function hereOrGone(hub: Hub, member: MemberInfo, awayOf: (id: number) => string): string {
  return hub.session(member.id) !== undefined && awayOf(member.id) !== '' ? 'G' : 'H';
}

/** 353 lines (as many as the 512-byte limit needs) and 366. */
export function sendNames(peer: IrcPeer, channel: Channel): void {
  const head = `:${peer.serverName} ${RPL.NAMREPLY} ${peer.nick()} = ${channel.name} :`;
  let names: string[] = [];
  let bytes = Buffer.byteLength(head) + 2;
  for (const member of channel.list()) {
    const name = `${member.op === true ? '@' : ''}${toIrcNick(member.name)}`;
    const size = Buffer.byteLength(name) + 1;
    if (names.length > 0 && bytes + size > IRC_LINE_BYTES) {
      peer.send(head + names.join(' '));
      names = [];
      bytes = Buffer.byteLength(head) + 2;
    }
    names.push(name);
    bytes += size;
  }
  if (names.length > 0) peer.send(head + names.join(' '));
  peer.numeric(RPL.ENDOFNAMES, channel.name, 'End of /NAMES list');
}

export function names(peer: IrcPeer, params: string[]): void {
  const list = params[0];
  if (list === undefined || list === '') {
    peer.numeric(RPL.ENDOFNAMES, '*', 'End of /NAMES list');
    return;
  }
  for (const name of list.split(',')) {
    const channel = findChannel(peer.hub, name);
    if (channel === undefined) peer.numeric(RPL.ENDOFNAMES, name, 'End of /NAMES list');
    else sendNames(peer, channel);
  }
}

function whoLine(peer: IrcPeer, channelName: string, member: MemberInfo, awayOf: (id: number) => string): void {
  peer.numeric(RPL.WHOREPLY, channelName, member.transport, peer.serverName, peer.serverName, toIrcNick(member.name), `${hereOrGone(peer.hub, member, awayOf)}${member.op === true ? '@' : ''}`, `0 ${member.name}`);
}

export function who(peer: IrcPeer, params: string[], awayOf: (id: number) => string): void {
  const mask = params[0] ?? '*';
  const channel = findChannel(peer.hub, mask);
  if (channel !== undefined) {
    for (const member of channel.list()) whoLine(peer, channel.name, member, awayOf);
  } else if (!mask.startsWith('#')) {
    const member = findMember(peer.hub, mask);
    if (member !== null) whoLine(peer, '*', member, awayOf);
  }
  peer.numeric(RPL.ENDOFWHO, mask, 'End of /WHO list');
}

export function whois(peer: IrcPeer, params: string[], awayOf: (id: number) => string): void {
  const target = params.at(-1);
  if (target === undefined || target === '') {
    peer.numeric(ERR.NONICKNAMEGIVEN, 'No nickname given');
    return;
  }
  const member = findMember(peer.hub, target);
  if (member === null) {
    peer.numeric(ERR.NOSUCHNICK, target, 'No such nick/channel');
    peer.numeric(RPL.ENDOFWHOIS, target, 'End of /WHOIS list');
    return;
  }
  const nick = toIrcNick(member.name);
  peer.numeric(RPL.WHOISUSER, nick, member.transport, peer.serverName, '*', member.name);
  const session = peer.hub.session(member.id);
  if (session !== undefined && session.rooms.size > 0) peer.numeric(RPL.WHOISCHANNELS, nick, [...session.rooms.values()].map((room) => room.name).join(' '));
  peer.numeric(RPL.WHOISSERVER, nick, peer.serverName, `${peer.network} (${member.transport} client)`);
  const away = awayOf(member.id);
  if (away !== '') peer.numeric(RPL.AWAY, nick, away);
  peer.numeric(RPL.ENDOFWHOIS, nick, 'End of /WHOIS list');
}

export function list(peer: IrcPeer): void {
  peer.numeric(RPL.LISTSTART, 'Channel', 'Users  Name');
  for (const room of peer.hub.rooms.list(Number.POSITIVE_INFINITY)) peer.numeric(RPL.LIST, room.name, String(room.count), room.topic);
  peer.numeric(RPL.LISTEND, 'End of /LIST');
}

/** ISON takes nicknames as separate parameters or as one trailing parameter with spaces. */
export function ison(peer: IrcPeer, params: string[]): void {
  const asked = params.flatMap((param) => param.split(' ')).filter((nick) => nick !== '');
  const present = asked.filter((nick) => findMember(peer.hub, nick) !== null);
  peer.numeric(RPL.ISON, present.join(' '));
}

export function userhost(peer: IrcPeer, params: string[], awayOf: (id: number) => string): void {
  const replies: string[] = [];
  for (const nick of params.slice(0, 5)) {
    const member = findMember(peer.hub, nick);
    if (member === null) continue;
    replies.push(`${toIrcNick(member.name)}=${hereOrGone(peer.hub, member, awayOf) === 'G' ? '-' : '+'}${member.transport}@${peer.serverName}`);
  }
  peer.numeric(RPL.USERHOST, replies.join(' '));
}
