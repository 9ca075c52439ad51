import type { RoomsEvent } from '../../shared/events.js';

/**
 * The answer to a typed `/rooms`, as one line in the log: every room with how many are in it and
 * its topic, busiest first as the server sends them, and how many more there are when the server
 * cut the list short.
 */
export function roomsText(event: Pick<RoomsEvent, 'rooms' | 'count'>): string {
  if (event.rooms.length === 0) return 'No rooms.';
  const rooms = event.rooms.map((room) => `${room.name} (${room.count})${room.topic === '' ? '' : `: ${room.topic}`}`);
  const more = event.count - event.rooms.length;
  return `Rooms: ${rooms.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
}
