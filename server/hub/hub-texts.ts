import type { MemberInfo, RoomInfo } from '../../shared/events.js';
import type { RoomView } from './session.js';

/**
 * The texts the hub says to text clients (framed, line): one place, so their shapes (which
 * `switchboard connect` and people's scripts read) are easy to see and keep.
 */

function plural(count: number, one: string, many: string): string {
  return count === 1 ? `1 ${one}` : `${count} ${many}`;
}

function followText(replayed: number): string {
  return replayed === 0 ? '' : `; ${replayed === 1 ? '1 earlier message follows' : `${replayed} earlier messages follow`}`;
}

function topicText(topic: string): string {
  return topic === '' ? '' : `; topic: ${topic}`;
}

/**
 * The first notice of a text client: who it is, where it is, how many messages of that room's
 * history follow, and its limits. One line, so the seed's client shows it whole.
 */
export function welcomeText(server: string, you: string, room: RoomView, limits: string): string {
  const others = plural(room.count - 1, 'other member', 'other members');
  return `welcome to ${server}, you are ${you}; you are in ${room.name} with ${others}${topicText(room.topic)}${followText(room.replayed)}; ${limits}; /help for commands`;
}

/** After `/join`: the room the member now talks in; its replay follows. */
export function joinedText(room: RoomView): string {
  const others = plural(room.count - 1, 'other member', 'other members');
  return `you joined ${room.name} (${others} here)${topicText(room.topic)}${followText(room.replayed)}; plain lines now go to ${room.name}`;
}

export function partedText(room: string, current: string | null): string {
  return current === null ? `you left ${room}; you are in no room now: /join #ROOM to talk` : `you left ${room}; plain lines now go to ${current}`;
}

/** `/who`: up to the listed members, and how many more. */
export function whoText(room: string, members: MemberInfo[], count: number): string {
  const names = members.map((member) => `${member.name} (${member.transport})`);
  const more = count > names.length ? ` and ${count - names.length} more` : '';
  return `members of ${room} (${count}): ${names.join(', ')}${more}`;
}

/** `/rooms`: each with its member count and topic. */
export function roomsText(rooms: RoomInfo[], count: number): string {
  const listed = rooms.map((room) => `${room.name} (${room.count}${room.topic === '' ? '' : `: ${room.topic}`})`);
  const more = count > listed.length ? ` and ${count - listed.length} more` : '';
  return `rooms (${count}): ${listed.join(', ')}${more}`;
}
