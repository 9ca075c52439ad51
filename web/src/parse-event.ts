import type {
  ErrorEvent,
  HistoryEvent,
  JoinedEvent,
  MemberInfo,
  MembersEvent,
  MessageEvent,
  NoticeEvent,
  PartedEvent,
  RoomsEvent,
  ServerEvent,
  WelcomeEvent,
} from '../../shared/events.js';

/**
 * Turns one WebSocket text message into a ServerEvent, or null. The types come from shared/, but
 * the wire is still untrusted input: a field the views rely on is checked before it is used, so a
 * malformed or newer event is skipped instead of breaking rendering. Unknown types are ignored,
 * which lets the server add events without breaking older pages.
 */
export function parseServerEvent(data: unknown): ServerEvent | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  switch (value['type']) {
    case 'welcome':
      return isWelcome(value) ? (value as unknown as WelcomeEvent) : null;
    case 'message':
      return isMessage(value) ? (value as unknown as MessageEvent) : null;
    case 'notice':
      return isNotice(value) ? (value as unknown as NoticeEvent) : null;
    case 'history':
      return isHistory(value) ? (value as unknown as HistoryEvent) : null;
    case 'joined':
      return isJoined(value) ? (value as unknown as JoinedEvent) : null;
    case 'parted':
      return typeof value['room'] === 'string' ? (value as unknown as PartedEvent) : null;
    case 'rooms':
      return isRoomList(value['rooms']) && isCount(value['count']) ? (value as unknown as RoomsEvent) : null;
    case 'members':
      return typeof value['room'] === 'string' && isMemberList(value['members']) && isCount(value['count']) ? (value as unknown as MembersEvent) : null;
    case 'error':
      return typeof value['code'] === 'string' && typeof value['message'] === 'string'
        ? (value as unknown as ErrorEvent)
        : null;
    default:
      return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMember(value: unknown): value is MemberInfo {
  return (
    isRecord(value) &&
    typeof value['id'] === 'number' &&
    typeof value['name'] === 'string' &&
    (value['transport'] === 'tcp' || value['transport'] === 'line' || value['transport'] === 'ws' || value['transport'] === 'irc') &&
    (value['op'] === undefined || typeof value['op'] === 'boolean')
  );
}

function isMemberList(value: unknown): value is MemberInfo[] {
  return Array.isArray(value) && value.every(isMember);
}

function isWelcome(value: Record<string, unknown>): boolean {
  const password = value['passwordRequired'];
  return (
    isMember(value['you']) &&
    typeof value['defaultRoom'] === 'string' &&
    typeof value['maxPayload'] === 'number' &&
    typeof value['maxRooms'] === 'number' &&
    (password === undefined || typeof password === 'boolean')
  );
}

/** `rooms` of a rooms event: name, member count and topic of each. */
function isRoomList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((room) => isRecord(room) && typeof room['name'] === 'string' && Number.isSafeInteger(room['count']) && typeof room['topic'] === 'string')
  );
}

/** A room field that may be absent (a direct message, a server-wide notice). */
function isOptionalRoom(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isJoined(value: Record<string, unknown>): boolean {
  return typeof value['room'] === 'string' && typeof value['topic'] === 'string' && isMemberList(value['members']) && isCount(value['count']);
}

/** A room message has `room`; a direct message has `to`, the member it went to. */
function isMessage(value: Record<string, unknown>): boolean {
  return (
    Number.isSafeInteger(value['id']) &&
    isOptionalRoom(value['room']) &&
    (value['to'] === undefined || isMember(value['to'])) &&
    (value['kind'] === 'chat' || value['kind'] === 'action') &&
    isTime(value['time']) &&
    typeof value['from'] === 'string' &&
    typeof value['text'] === 'string' &&
    (value['bot'] === undefined || typeof value['bot'] === 'boolean')
  );
}

/** The `messages` of a history event or a GET /history page: every one a valid message. */
export function isMessageList(value: unknown): value is MessageEvent[] {
  return Array.isArray(value) && value.every((entry) => isRecord(entry) && entry['type'] === 'message' && isMessage(entry));
}

function isHistory(value: Record<string, unknown>): boolean {
  return (
    typeof value['room'] === 'string' &&
    (value['mode'] === 'recent' || value['mode'] === 'resume') &&
    typeof value['epoch'] === 'string' &&
    typeof value['more'] === 'boolean' &&
    isMessageList(value['messages']) &&
    (value['lost'] === undefined || isLostList(value['lost']))
  );
}

/** `lost` of a history event: id ranges, first ≤ last. */
function isLostList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((range) => isRecord(range) && Number.isSafeInteger(range['first']) && Number.isSafeInteger(range['last']) && (range['first'] as number) <= (range['last'] as number))
  );
}

function isNotice(value: Record<string, unknown>): boolean {
  return (
    typeof value['kind'] === 'string' &&
    isOptionalRoom(value['room']) &&
    isTime(value['time']) &&
    typeof value['text'] === 'string' &&
    (value['member'] === undefined || isMember(value['member'])) &&
    (value['members'] === undefined || isMemberList(value['members'])) &&
    (value['count'] === undefined || Number.isSafeInteger(value['count'])) &&
    (value['previous'] === undefined || typeof value['previous'] === 'string') &&
    (value['by'] === undefined || isMember(value['by'])) &&
    (value['mode'] === undefined || typeof value['mode'] === 'string')
  );
}

/** `count` of a member list; an older server sent none (then the list is the whole room). */
function isCount(value: unknown): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);
}

/** A time the log can show: beyond ±8.64e15 ms a Date is invalid and `toISOString` throws. */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(new Date(value).getTime());
}
