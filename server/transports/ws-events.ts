import { isBotName } from '../../shared/bot-name.js';
import type { MessageEvent, NoticeEvent } from '../../shared/events.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';

/**
 * A message as the page's event (shared/events.ts): a chat line or action (`message`, with its
 * room, or `to` for a direct message) or a server notice. Built once per message for every
 * WebSocket member (WS_FORM), and again only for a page's own `self` copy.
 */
export function toEvent(message: OutgoingMessage): MessageEvent | NoticeEvent {
  if (message.kind !== 'notice' && message.from !== undefined) {
    const event: MessageEvent = {
      type: 'message',
      id: message.id,
      kind: message.kind,
      time: message.time,
      from: message.from.name,
      fromId: message.from.id,
      text: message.text,
    };
    if (message.room !== null) event.room = message.room.name;
    if (message.to !== undefined) event.to = message.to;
    if (isBotName(event.from)) event.bot = true;
    return event;
  }
  const event: NoticeEvent = { type: 'notice', kind: message.notice ?? 'info', time: message.time, text: message.text };
  if (message.room !== null) event.room = message.room.name;
  if (message.member !== undefined) event.member = message.member;
  if (message.members !== undefined) event.members = message.members;
  if (message.count !== undefined) event.count = message.count;
  if (message.previous !== undefined) event.previous = message.previous;
  if (message.code !== undefined) event.code = message.code;
  if (message.notice === 'leave' && message.setter !== undefined) event.by = message.setter;
  if (message.mode !== undefined) event.mode = message.mode;
  return event;
}
