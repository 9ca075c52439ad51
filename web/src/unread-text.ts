/**
 * The words for unread counts. The badge is for the eye ("3", "99+"); the link's spoken name
 * carries the whole count ("3 unread"), and the one polite announcement a conversation gets is
 * made when it goes from nothing unread to something, not on every message after that, so a busy
 * room in the background does not talk over the one being read.
 */
export const BADGE_MAX = 99;

export function badgeText(count: number): string {
  return count > BADGE_MAX ? `${BADGE_MAX}+` : String(count);
}

export function spokenUnread(count: number): string {
  return count === 0 ? '' : `${count} unread`;
}

/** What is announced when a conversation shown elsewhere gets its first unread message. */
export function unreadAnnouncement(kind: 'room' | 'dm', name: string): string {
  return kind === 'dm' ? `New direct message from ${name}` : `New messages in ${name}`;
}
