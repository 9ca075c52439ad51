import { nickKey, prepareNick } from '../../../shared/nick.js';
import { fromIrcNick } from '../../../shared/irc-nick.js';
import type { AccountOutcome } from '../../hub/account-runner.js';
import type { IrcCommandContext } from './irc-commands.js';
import { ERR, RPL } from './irc-numerics.js';
import type { IrcPeer } from './irc-peer.js';

/** An AUTHENTICATE line carries at most this much base64; exactly this much means more follows. */
const CHUNK = 400;
/** A whole PLAIN response in base64: two names and a 256-byte password fit well within it. */
const RESPONSE_MAX = 2 * CHUNK;

/** The mechanisms offered: PLAIN only (the password goes to the server as typed, so use TLS). */
export const SASL_MECHANISMS = 'PLAIN';

/**
 * SASL PLAIN over IRC (IRCv3 `sasl` capability, AUTHENTICATE; `--accounts`): the client's
 * `authzid NUL authcid NUL password`, base64 in lines of 400, is the same login as `/login
 * NAME PASSWORD` (hub/account-runner.ts). Registration waits for it (CAP END is read only after
 * the answer), and the nickname becomes the account's, whatever NICK said. Numerics: 900 and 903
 * on success; 904 failed (a lock-out says why), 905 too long, 906 aborted, 907 already logged
 * in, 908 the mechanisms. On a server with a password, PASS is checked first, as at registration.
 */
export function authenticate({ peer }: IrcCommandContext, params: string[]): void {
  const argument = params[0];
  if (argument === undefined || argument === '') {
    peer.numeric(ERR.NEEDMOREPARAMS, 'AUTHENTICATE', 'Not enough parameters');
    return;
  }
  if (peer.hub.accounts === null || !peer.caps.has('sasl')) {
    peer.numeric(ERR.SASLFAIL, 'SASL authentication failed: ask for the sasl capability first');
    return;
  }
  if (peer.session.account !== null) {
    peer.numeric(ERR.SASLALREADY, 'You have already authenticated using SASL');
    return;
  }
  if (peer.registered) {
    peer.numeric(ERR.SASLFAIL, 'SASL authentication failed: log in before registration (or /login NAME PASSWORD)');
    return;
  }
  if (argument === '*') {
    peer.saslResponse = null;
    peer.numeric(ERR.SASLABORTED, 'SASL authentication aborted');
    return;
  }
  if (peer.saslResponse === null) {
    if (argument.toUpperCase() !== SASL_MECHANISMS) {
      peer.numeric(RPL.SASLMECHS, SASL_MECHANISMS, 'are available SASL mechanisms');
      peer.numeric(ERR.SASLFAIL, 'SASL authentication failed');
      return;
    }
    peer.saslResponse = '';
    peer.send('AUTHENTICATE +');
    return;
  }
  if (argument.length > CHUNK || peer.saslResponse.length + argument.length > RESPONSE_MAX) {
    peer.saslResponse = null;
    peer.numeric(ERR.SASLTOOLONG, 'SASL message too long');
    return;
  }
  if (argument !== '+') peer.saslResponse += argument;
  if (argument.length === CHUNK) return;
  const response = Buffer.from(peer.saslResponse, 'base64').toString('utf8');
  peer.saslResponse = null;
  const parts = response.split('\0');
  const [authzid, authcid, password] = parts;
  if (parts.length !== 3 || authcid === '' || (authzid !== '' && nickKey(prepareNick(authzid!)) !== nickKey(prepareNick(authcid!)))) {
    peer.numeric(ERR.SASLFAIL, 'SASL authentication failed');
    return;
  }
  if (!peer.session.authenticated) {
    // The server password comes first, as it would at registration: wrong is 464 and the close.
    peer.hub.execute(peer.session, { type: 'pass', secret: peer.offeredPassword });
    peer.offeredPassword = null;
    if (!peer.session.authenticated) return;
  }
  logIn(peer, fromIrcNick(authcid!), password!);
}

/** The login itself: the client's next lines (CAP END) wait for its answer. */
function logIn(peer: IrcPeer, name: string, password: string): void {
  const session = peer.session;
  const flow = session.flow;
  flow?.suspend();
  peer.hub
    .login(session, name, password)
    .catch((): AccountOutcome => ({ ok: false, code: 'SB_ERR_INTERNAL', text: 'SASL authentication failed: the account could not be read' }))
    .then((outcome) => {
      if (!session.present) return;
      if (!outcome.ok) {
        peer.hub.stats.countError(outcome.code);
        peer.numeric(ERR.SASLFAIL, outcome.code === 'SB_ERR_LOGIN_FAILED' ? 'SASL authentication failed' : `SASL authentication failed: ${outcome.text}`);
        return;
      }
      // The account's nickname, not what NICK asked for.
      peer.deferredNick = null;
      peer.numeric(RPL.LOGGEDIN, `${peer.nick()}!irc@${peer.serverName}`, outcome.name, `You are now logged in as ${outcome.name}`);
      peer.numeric(RPL.SASLSUCCESS, 'SASL authentication successful');
    })
    .finally(() => flow?.resume())
    .catch(() => undefined);
}
