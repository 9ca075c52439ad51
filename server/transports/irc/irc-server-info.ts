import { ERR, IRC_VERSION, RPL } from './irc-numerics.js';
import type { IrcPeer } from './irc-peer.js';

/**
 * The questions about the server itself that clients put on a user's command (irssi's `/motd`,
 * `/version`, `/lusers`; HexChat and WeeChat have the same): an ircd answers them, and a 421
 * "Unknown command" there reads as a broken server. There is no MOTD, so MOTD is 422 as at
 * registration.
 */

export function motd(peer: IrcPeer): void {
  peer.numeric(ERR.NOMOTD, 'MOTD File is missing');
}

export function version(peer: IrcPeer): void {
  peer.numeric(RPL.VERSION, IRC_VERSION, peer.serverName, `${peer.network}: one room for IRC, the page, netcat and framed TCP`);
}

/** Counts of this instance: its members (of every transport) and the rooms it holds. */
export function lusers(peer: IrcPeer): void {
  const members = peer.hub.sessions.size;
  const rooms = peer.hub.rooms.list(Number.POSITIVE_INFINITY).length;
  peer.numeric(RPL.LUSERCLIENT, `There are ${members} users and 0 invisible on 1 servers`);
  peer.numeric(RPL.LUSERCHANNELS, String(rooms), 'channels formed');
  peer.numeric(RPL.LUSERME, `I have ${members} clients and 0 servers`);
}
