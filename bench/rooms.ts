import { DEFAULT_ROOM } from '../shared/room-name.js';

/**
 * How a workload's clients are spread over rooms. Clients are numbered 0 … N − 1; with R rooms,
 * room r holds the contiguous block r·N/R … (r + 1)·N/R − 1, so the generator's threads (client i
 * on thread i mod threads) each hold part of every room, and senders spread evenly over the
 * clients (fan-out-run.ts) fall evenly over the rooms when their number is a multiple of R. One
 * room means every client stays in the server's default room, as the single-room workloads do.
 */
export interface RoomLayout {
  readonly rooms: number;
  /** Room number of each client, by client index. */
  readonly roomOf: readonly number[];
}

export function layOut(clients: number, rooms: number): RoomLayout {
  if (!Number.isInteger(rooms) || rooms < 1 || rooms > clients) throw new Error(`${rooms} rooms for ${clients} clients`);
  return { rooms, roomOf: Array.from({ length: clients }, (_, index) => Math.floor((index * rooms) / clients)) };
}

/**
 * The room client `index` joins after connecting (`#bench-07`), or null to stay in the default
 * room. The names sort in room order, and are plain ASCII so the server keeps them as spelled.
 */
export function roomNameOf(layout: RoomLayout, index: number): string | null {
  if (layout.rooms === 1) return null;
  const digits = String(layout.rooms - 1).length;
  return `#bench-${String(layout.roomOf[index]!).padStart(digits, '0')}`;
}

/** Where every member starts, and what a member of a bench room leaves so it is in one room only. */
export const START_ROOM = DEFAULT_ROOM;

/** Members of each room, by room number. */
export function roomSizes(layout: RoomLayout): number[] {
  const sizes = new Array<number>(layout.rooms).fill(0);
  for (const room of layout.roomOf) sizes[room]! += 1;
  return sizes;
}
