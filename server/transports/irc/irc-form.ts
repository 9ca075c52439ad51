import type { MemberInfo } from '../../../shared/events.js';
import { formatIrcLine } from '../../../shared/irc-message.js';
import { toIrcNick } from '../../../shared/irc-nick.js';
import { splitUtf8 } from '../../../shared/utf8-split.js';
import { type MessageSender, type OutgoingMessage, type WireForm, defineWireForm } from '../../message/outgoing-message.js';

/** RFC 1459's line limit, CR LF included; tags count too, so every line fits any client. */
export const IRC_LINE_BYTES = 512;

/** The IRCv3 capabilities that change what a line looks like (bits of a form's index). */
export const TAG_TIME = 1;
export const TAG_MSGID = 2;

/** CTCP's marker: `\x01ACTION waves\x01` is `/me waves`. */
export const CTCP = '\x01';

/** `nick!transport@server`: the user part says which transport a member came through. */
export function maskOf(member: MessageSender, serverName: string): string {
  return `${toIrcNick(member.name)}!${member.transport ?? 'switchboard'}@${serverName}`;
}

function tagsOf(message: OutgoingMessage, mask: number): [string, string][] {
  const tags: [string, string][] = [];
  if ((mask & TAG_TIME) !== 0) tags.push(['time', new Date(message.time).toISOString()]);
  if ((mask & TAG_MSGID) !== 0 && message.id > 0 && message.room !== null) tags.push(['msgid', `${message.room.key.slice(1)}-${message.id}`]);
  return tags;
}

/**
 * A text as PRIVMSG (or NOTICE) lines: one per line of the text, each cut at UTF-8 boundaries so
 * the whole line, tags and CR LF included, is at most IRC_LINE_BYTES. Nothing is dropped: a 64 KiB
 * paste from the page arrives as as many lines as it takes. An action is cut the same way, each
 * piece its own CTCP ACTION.
 */
export function textLines(head: { tags: [string, string][]; source: string; command: string; target: string }, text: string, action: boolean): string[] {
  const empty = formatIrcLine({ tags: head.tags, source: head.source, command: head.command, params: [head.target, ''] });
  const wrap = action ? 9 : 0; // `\x01ACTION ` + `\x01`
  const budget = IRC_LINE_BYTES - 2 - Buffer.byteLength(empty) - wrap;
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    for (const piece of splitUtf8(line, Math.max(16, budget))) {
      const body = action ? `${CTCP}ACTION ${piece}${CTCP}` : piece;
      lines.push(formatIrcLine({ tags: head.tags, source: head.source, command: head.command, params: [head.target, body], trailing: true }));
    }
  }
  return lines;
}

/** The member a join or leave notice is about, one or a batch, without `exceptId`. */
export function presenceMembers(message: OutgoingMessage, exceptId: number | null): MemberInfo[] {
  const members = message.member !== undefined ? [message.member] : (message.members ?? []);
  return exceptId === null ? members : members.filter((member) => member.id !== exceptId);
}

/** `bob left (quit: bye)` → `quit: bye`: the reason of a single leave notice, '' for none. */
function leaveReason(message: OutgoingMessage): string {
  if (message.member === undefined) return '';
  const match = /\((.*)\)$/.exec(message.text);
  return match?.[1] ?? '';
}

/**
 * The lines of a message that every IRC member sees alike (so they are built once per form):
 * chat and actions in a room or to one member, joins, leaves, renames and topics. Replies and
 * errors addressed to one member are built by its connection (they name its nickname).
 */
export function sharedLines(message: OutgoingMessage, serverName: string, mask: number, exceptId: number | null = null): string[] {
  const tags = tagsOf(message, mask);
  if (message.kind !== 'notice' && message.from !== undefined) {
    const target = message.room?.name ?? toIrcNick(message.to?.name ?? '*');
    return textLines({ tags, source: maskOf(message.from, serverName), command: 'PRIVMSG', target }, message.text, message.kind === 'action');
  }
  const room = message.room?.name ?? '*';
  switch (message.notice) {
    case 'join':
      return presenceMembers(message, exceptId).map((member) => formatIrcLine({ tags, source: maskOf(member, serverName), command: 'JOIN', params: [room] }));
    case 'leave': {
      const reason = leaveReason(message);
      // A kick: every member sees KICK, the kicked one too (its client closes the channel).
      if (message.setter !== undefined && message.member !== undefined) {
        return [formatIrcLine({ tags, source: maskOf(message.setter, serverName), command: 'KICK', params: [room, toIrcNick(message.member.name), reason], trailing: true })];
      }
      return presenceMembers(message, exceptId).map((member) => formatIrcLine({ tags, source: maskOf(member, serverName), command: 'PART', params: reason === '' ? [room] : [room, reason], trailing: reason !== '' }));
    }
    case 'nick':
      if (message.member === undefined || message.previous === undefined) break;
      return [formatIrcLine({ tags, source: maskOf({ ...message.member, name: message.previous }, serverName), command: 'NICK', params: [toIrcNick(message.member.name)] })];
    case 'topic':
      return [formatIrcLine({ tags, source: message.setter === undefined ? serverName : maskOf(message.setter, serverName), command: 'TOPIC', params: [room, message.topic ?? ''], trailing: true })];
    case 'info':
      // A mode change (+o, +b, +t, +m, and +q for a mute): `:op!… MODE #room +o nick`.
      if (message.mode !== undefined && message.setter !== undefined) {
        return [formatIrcLine({ tags, source: maskOf(message.setter, serverName), command: 'MODE', params: [room, ...ircModeParams(message.mode)] })];
      }
      break;
    default:
      break;
  }
  return textLines({ tags, source: serverName, command: 'NOTICE', target: room }, message.text, false);
}

/** `+o alice` → `['+o', 'alice']`, the nick in its IRC spelling. */
function ircModeParams(mode: string): string[] {
  const [change, argument] = mode.split(' ', 2);
  if (argument === undefined) return [change!];
  return [change!, /^[+-][oq]$/.test(change!) ? toIrcNick(argument) : argument];
}

export function linesToBytes(lines: readonly string[]): Uint8Array {
  return lines.length === 0 ? new Uint8Array(0) : Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * The IRC wire forms of one listener, one per combination of the tag capabilities (none,
 * server-time, message-tags, both): a message is encoded at most once per combination however
 * many IRC members read it. Defined per listener, not at module load, because the server name is
 * part of every line.
 */
export function defineIrcForms(serverName: string): readonly WireForm[] {
  return [0, 1, 2, 3].map((mask) =>
    defineWireForm(function encodeIrc(message: OutgoingMessage) {
      return linesToBytes(sharedLines(message, serverName, mask));
    }),
  );
}
