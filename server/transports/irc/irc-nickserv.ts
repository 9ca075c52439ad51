import { nickKey } from '../../../shared/nick.js';
import { NICKSERV } from '../../hub/account-runner.js';
import type { IrcPeer } from './irc-peer.js';

const NICKSERV_KEY = nickKey(NICKSERV);

/** Whether a PRIVMSG target is NickServ (`--accounts` only: without accounts it is a nickname like any). */
export function isNickServ(peer: IrcPeer, target: string): boolean {
  return peer.hub.accounts !== null && nickKey(target) === NICKSERV_KEY;
}

/**
 * `/msg NickServ REGISTER PASSWORD` (makes the current nickname an account) and `/msg NickServ
 * IDENTIFY [ACCOUNT] PASSWORD` (logs in; one word is the password of the current nickname): the
 * way IRC users know from services, for registering from an IRC client (SASL only logs in). The
 * same intents as `/register` and `/login`: the answers are the hub's notices. Nothing said to
 * NickServ reaches a member or the log.
 */
export function nickServ(peer: IrcPeer, text: string): void {
  const words = text.trim().split(/\s+/);
  const command = (words[0] ?? '').toUpperCase();
  const session = peer.session;
  if (command === 'REGISTER' && words.length >= 2) {
    peer.hub.execute(session, { type: 'register', name: session.name, password: words.slice(1).join(' ') });
    return;
  }
  if (command === 'IDENTIFY' && words.length >= 2) {
    const named = words.length >= 3;
    peer.hub.execute(session, { type: 'login', name: named ? words[1]! : session.name, password: words.slice(named ? 2 : 1).join(' ') });
    return;
  }
  peer.send(`:${NICKSERV}!services@${peer.serverName} NOTICE ${peer.nick()} :commands: REGISTER PASSWORD (your nickname becomes your account), IDENTIFY [ACCOUNT] PASSWORD (log in); or log in with SASL PLAIN`);
}
