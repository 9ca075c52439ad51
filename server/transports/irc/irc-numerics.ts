import type { ErrorCode } from '../../../shared/errors.js';
import { NICK_MAX_LENGTH } from '../../../shared/limits.js';
import { ROOM_NAME_MAX } from '../../../shared/room-name.js';
import { TOPIC_MAX } from '../../hub/intent-runner.js';

/** The numeric replies this server sends (RFC 1459/2812, and 417 from the modern IRC docs). */
export const RPL = {
  WELCOME: '001',
  YOURHOST: '002',
  CREATED: '003',
  MYINFO: '004',
  ISUPPORT: '005',
  UMODEIS: '221',
  LUSERCLIENT: '251',
  LUSERCHANNELS: '254',
  LUSERME: '255',
  AWAY: '301',
  USERHOST: '302',
  ISON: '303',
  UNAWAY: '305',
  NOWAWAY: '306',
  WHOISUSER: '311',
  WHOISSERVER: '312',
  ENDOFWHO: '315',
  ENDOFWHOIS: '318',
  WHOISCHANNELS: '319',
  LISTSTART: '321',
  LIST: '322',
  LISTEND: '323',
  CHANNELMODEIS: '324',
  NOTOPIC: '331',
  TOPIC: '332',
  VERSION: '351',
  BANLIST: '367',
  YOUREOPER: '381',
  WHOREPLY: '352',
  NAMREPLY: '353',
  ENDOFNAMES: '366',
  ENDOFBANLIST: '368',
  /** IRCv3 SASL: logged in, and the exchange succeeded; the mechanisms on offer. */
  LOGGEDIN: '900',
  SASLSUCCESS: '903',
  SASLMECHS: '908',
} as const;

export const ERR = {
  NOSUCHNICK: '401',
  NOSUCHCHANNEL: '403',
  CANNOTSENDTOCHAN: '404',
  TOOMANYCHANNELS: '405',
  NORECIPIENT: '411',
  NOTEXTTOSEND: '412',
  INPUTTOOLONG: '417',
  UNKNOWNCOMMAND: '421',
  NOMOTD: '422',
  NONICKNAMEGIVEN: '431',
  ERRONEUSNICKNAME: '432',
  NICKNAMEINUSE: '433',
  NOTONCHANNEL: '442',
  NOTREGISTERED: '451',
  NEEDMOREPARAMS: '461',
  ALREADYREGISTERED: '462',
  PASSWDMISMATCH: '464',
  UNKNOWNMODE: '472',
  BANNEDFROMCHAN: '474',
  NOPRIVILEGES: '481',
  BADCHANNAME: '479',
  CHANOPRIVSNEEDED: '482',
  NOOPERHOST: '491',
  UMODEUNKNOWNFLAG: '501',
  USERSDONTMATCH: '502',
  /** IRCv3 SASL: failed; too long; aborted; already logged in. */
  SASLFAIL: '904',
  SASLTOOLONG: '905',
  SASLABORTED: '906',
  SASLALREADY: '907',
} as const;

/** The numeric a moderation refusal is sent as (482 becomes 481 when it is about no channel: /kill). */
export const MODERATION_NUMERICS: Partial<Record<ErrorCode, string>> = {
  SB_ERR_NOT_OPERATOR: ERR.CHANOPRIVSNEEDED,
  SB_ERR_BANNED: ERR.BANNEDFROMCHAN,
  SB_ERR_MUTED: ERR.CANNOTSENDTOCHAN,
  SB_ERR_OPER_FAILED: ERR.NOOPERHOST,
};

/** The server's version string in 002 and 004. */
export const IRC_VERSION = 'switchboard-0.1.0';

/**
 * RPL_ISUPPORT tokens. CASEMAPPING=ascii is the closest IRC name for Switchboard's comparison of
 * names (which folds case of every script and look-alikes too, so it never finds two names
 * different that a client thinks equal). Channel modes: b (bans), t (topic lock), m (only
operators speak), n (always set); o is the one prefix.
 */
export function isupportTokens(network: string): string[] {
  return [
    'CASEMAPPING=ascii',
    'CHANTYPES=#',
    `CHANNELLEN=${ROOM_NAME_MAX + 1}`,
    'CHANMODES=b,,,ntm',
    `NICKLEN=${NICK_MAX_LENGTH}`,
    `TOPICLEN=${TOPIC_MAX}`,
    'PREFIX=(o)@',
    'MODES=1',
    `NETWORK=${network}`,
    'SAFELIST',
  ];
}
