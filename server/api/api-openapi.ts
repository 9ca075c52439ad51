import { apiMessageSchema, errorSchema, messagesPageSchema, messagesQuerySchema, postBodySchema, roomParamsSchema, roomsSchema } from './api-schemas.js';

/** Query string schema → OpenAPI parameters. */
function queryParameters(): object[] {
  return Object.entries(messagesQuerySchema.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema, description: 'description' in schema ? schema.description : undefined }));
}

const roomParameter = { name: 'room', in: 'path', required: true, schema: roomParamsSchema.properties.room, description: roomParamsSchema.properties.room.description };

function json(schema: object, description: string): object {
  return { description, content: { 'application/json': { schema } } };
}

const unauthorized = json(errorSchema, 'No token, or a wrong one');

/**
 * The OpenAPI 3.0 description served at `/api/openapi.json`, built from the same schema objects
 * the routes validate with (api-schemas.ts). Paths use OpenAPI's `{room}` where Fastify has `:room`.
 */
export function openApiDocument(): object {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Switchboard bot API',
      version: '1',
      description: 'Post to rooms and follow them from scripts. Every operation needs `Authorization: Bearer TOKEN` (a token given to `serve --api-token NAME=TOKEN`). See docs/api.md.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema, Message: apiMessageSchema, MessagesPage: messagesPageSchema, Rooms: roomsSchema, PostMessage: postBodySchema },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/rooms': {
        get: { operationId: 'listRooms', summary: 'Rooms held, busiest first, with member counts and topics', responses: { 200: json(roomsSchema, 'The rooms'), 401: unauthorized } },
      },
      '/api/rooms/{room}/messages': {
        parameters: [roomParameter],
        post: {
          operationId: 'postMessage',
          summary: 'Say a line in a room as the bot (shown as NAME[bot]); the room is opened if nobody is in it',
          requestBody: { required: true, content: { 'application/json': { schema: postBodySchema } } },
          responses: {
            201: json(apiMessageSchema, 'Said and stored: the message with its id'),
            202: json(apiMessageSchema, 'Handed to the shared room (--redis): id 0, the shared room gives it one'),
            400: json(errorSchema, 'Bad JSON, a bad field, an empty text or a bad room name'),
            401: unauthorized,
            413: json(errorSchema, 'Text longer than --max-payload bytes'),
            429: json(errorSchema, 'Over the token\'s rate (--api-rate-limit); see Retry-After'),
            503: json(errorSchema, 'Too many rooms (--max-rooms), or shutting down'),
          },
        },
        get: {
          operationId: 'readMessages',
          summary: 'Stored messages of a room after an id; with wait=, held open until one arrives (long-poll)',
          parameters: queryParameters(),
          responses: {
            200: json(messagesPageSchema, 'Messages, oldest first; empty when the wait ran out'),
            400: json(errorSchema, 'A bad query or room name'),
            401: unauthorized,
            404: json(errorSchema, 'No such room, or no history kept'),
            429: json(errorSchema, 'The token holds --api-max-waits long-polls already'),
          },
        },
      },
      '/api/openapi.json': {
        get: { operationId: 'openApi', summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.0 JSON' } } },
      },
    },
  };
}
