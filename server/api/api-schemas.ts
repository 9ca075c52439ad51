/**
 * JSON Schemas of the bot API: Fastify validates every request with them (ajv) and serializes
 * answers with them, and api-openapi.ts builds the OpenAPI description from the same objects, so
 * the document cannot drift from what the routes accept.
 */
import { BOT_NAME } from '../../shared/bot-name.js';

/** Messages one `GET …/messages` answers at most, and when no `limit` is given. */
export const API_PAGE_MAX = 100;
export const API_PAGE_DEFAULT = 50;
/** Longest long-poll, in seconds (`wait=`). */
export const API_WAIT_MAX_S = 30;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string', description: 'What went wrong, for a person' },
    code: { type: 'string', description: 'A stable code (SB_ERR_API_*)' },
  },
} as const;

export const roomParamsSchema = {
  type: 'object',
  required: ['room'],
  properties: { room: { type: 'string', minLength: 1, maxLength: 200, description: 'The room, with or without its # (URL-encoded as %23)' } },
} as const;

export const postBodySchema = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', minLength: 1, description: 'The message; at most --max-payload bytes of UTF-8, as a member\'s' },
    from: { type: 'string', pattern: BOT_NAME.source, description: 'Bot name shown instead of the token\'s (it gets the [bot] suffix)' },
  },
} as const;

export const apiMessageSchema = {
  type: 'object',
  required: ['id', 'room', 'time', 'kind', 'from', 'text', 'bot'],
  properties: {
    id: { type: 'integer', description: 'History id, increasing per room; 0 while the shared room (--redis) has not given one' },
    room: { type: 'string' },
    time: { type: 'integer', description: 'Server time, epoch milliseconds' },
    kind: { type: 'string', enum: ['chat', 'action'] },
    from: { type: 'string', description: 'Sender: a nickname, an address, or NAME[bot]' },
    text: { type: 'string' },
    bot: { type: 'boolean', description: 'Posted by a bot of this API' },
  },
} as const;

export const messagesQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: { type: 'integer', minimum: 0, description: 'Only messages with a larger id; without it, the newest `limit`' },
    limit: { type: 'integer', minimum: 1, maximum: API_PAGE_MAX, default: API_PAGE_DEFAULT },
    wait: { type: 'integer', minimum: 0, maximum: API_WAIT_MAX_S, default: 0, description: 'With `after`: seconds to hold the request open until a message arrives (long-poll)' },
  },
} as const;

export const messagesPageSchema = {
  type: 'object',
  required: ['room', 'messages', 'last'],
  properties: {
    room: { type: 'string' },
    messages: { type: 'array', items: apiMessageSchema },
    last: { type: 'integer', description: 'The id to pass as `after` next time' },
  },
} as const;

export const roomsSchema = {
  type: 'object',
  required: ['rooms', 'total'],
  properties: {
    rooms: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'count', 'topic'],
        properties: { name: { type: 'string' }, count: { type: 'integer', description: 'Members, every instance' }, topic: { type: 'string' } },
      },
    },
    total: { type: 'integer', description: 'Rooms held; the list stops at 200' },
  },
} as const;

/** What the routes receive once the schemas have validated (and defaulted) them. */
export interface PostBody {
  text: string;
  from?: string;
}

export interface MessagesQuery {
  after?: number;
  limit: number;
  wait: number;
}

export interface RoomParams {
  room: string;
}

export interface ApiMessage {
  id: number;
  room: string;
  time: number;
  kind: 'chat' | 'action';
  from: string;
  text: string;
  bot: boolean;
}
