import { botSender } from '../../shared/bot-name.js';
import { isBlank, sanitizeText } from '../../shared/text.js';
import type { Channel } from '../channel/channel.js';
import { OutgoingMessage } from '../message/outgoing-message.js';
import type { HubCore } from './hub-core.js';

/** Member id of every bot message: bots have no session, and session ids start at 1. */
export const BOT_MEMBER_ID = 0;

/**
 * What became of a bot's message. `stored`: said here, with its history id. `shared`: handed to
 * the shared room (`--redis`), which gives it its id when every instance gets it back. `refused`:
 * nothing was said, `reason` says why (for the HTTP status).
 */
export type BotPostOutcome =
  | { outcome: 'stored'; message: OutgoingMessage }
  | { outcome: 'shared'; room: string; time: number; from: string; text: string }
  | { outcome: 'refused'; reason: 'room-invalid' | 'too-many-rooms' | 'blank' | 'closing'; text: string };

/**
 * A chat line from a bot of the HTTP API, down the same path as a member's `say`: published to the
 * shared room when there is one, else given the next id, stored and broadcast by the room, so every
 * transport, the history and the webhooks see it as they see any message. A room nobody is in is
 * opened (within `--max-rooms`): a CI bot posts to a room whether or not anyone reads it right now,
 * and whoever joins later finds it in the room's history.
 */
export function postAsBot(core: HubCore & { readonly closing: boolean }, roomName: string, botName: string, raw: string): BotPostOutcome {
  if (core.closing) return { outcome: 'refused', reason: 'closing', text: 'the server is shutting down' };
  const text = sanitizeText(raw);
  if (isBlank(text)) return { outcome: 'refused', reason: 'blank', text: 'text is empty' };
  const opened = core.rooms.open(roomName);
  if ('refusal' in opened) {
    return { outcome: 'refused', reason: /not a room name/.test(opened.refusal) ? 'room-invalid' : 'too-many-rooms', text: opened.refusal };
  }
  const channel: Channel = opened.channel;
  const time = core.clock();
  // Bots are shown on the `ws` transport's terms by IRC (`nick!ws@server`): they have no socket of their own.
  const from = { id: BOT_MEMBER_ID, name: botSender(botName), transport: 'ws' as const };
  if (core.link?.publish({ room: channel, kind: 'chat', time, text, from }) === true) {
    return { outcome: 'shared', room: channel.name, time, from: from.name, text };
  }
  const id = core.link === null ? core.nextMessageId() : 0;
  const message = new OutgoingMessage({ kind: 'chat', room: channel, id, time, text, from });
  channel.deliverMessage(message, undefined);
  return { outcome: 'stored', message };
}
