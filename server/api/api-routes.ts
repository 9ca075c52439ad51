import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { isBotName } from '../../shared/bot-name.js';
import { MEMBER_LIST_MAX } from '../../shared/limits.js';
import { prepareRoomName, roomKey, roomNameProblem } from '../../shared/room-name.js';
import { TokenBucket } from '../../shared/token-bucket.js';
import type { HistoryRecord, HistoryStore } from '../history/history-store.js';
import type { Hub } from '../hub/hub.js';
import { openApiDocument } from './api-openapi.js';
import {
  type ApiMessage,
  type MessagesQuery,
  type PostBody,
  type RoomParams,
  apiMessageSchema,
  errorSchema,
  messagesPageSchema,
  messagesQuerySchema,
  postBodySchema,
  roomParamsSchema,
  roomsSchema,
} from './api-schemas.js';
import type { ApiTokens } from './api-tokens.js';
import { RoomFollowers } from './room-followers.js';

/** Socket inactivity allowed past a long-poll's own wait, for the answer to be written. */
const LONG_POLL_SLACK_MS = 5000;

export interface BotApiOptions {
  hub: Hub;
  tokens: ApiTokens;
  /** Where `GET …/messages` reads; without one that route answers 404. */
  history?: HistoryStore;
  metrics: Registry;
  logger: Logger;
  /** Largest text, in bytes of UTF-8: a member's limit (`--max-payload`). */
  maxPayload: number;
  /** Messages per second per token (0 = no limit) and burst. */
  rateLimit: number;
  rateBurst: number;
  /** Long-polls one token may hold open. */
  maxWaits: number;
}

/** An API error: `{error, code}` with a status. */
function fail(reply: FastifyReply, status: number, code: string, error: string): FastifyReply {
  return reply.code(status).send({ error, code });
}

function toApiMessage(record: HistoryRecord, room: string): ApiMessage {
  return { id: record.id, room, time: record.time, kind: record.kind, from: record.from, text: record.text, bot: isBotName(record.from) };
}

/** `Authorization: Bearer TOKEN` → the token, or null. */
function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * The bot API under /api: post to a room, list rooms, read and follow a room's messages, and the
 * OpenAPI description. Registered only when tokens are configured. Every route but the description
 * needs a token; posting goes through the hub like a member's line (Hub.postAsBot), so members on
 * every transport, the history and the webhooks see it without any code of their own.
 */
export async function botApi(app: FastifyInstance, options: BotApiOptions): Promise<void> {
  const { hub, tokens } = options;
  const buckets = new Map<string, TokenBucket>();
  const waits = new Map<string, number>();
  const followers = new RoomFollowers(hub);
  const posted = new Counter({ name: 'switchboard_api_messages_total', help: 'Messages posted through the bot API', labelNames: ['bot'], registers: [options.metrics] });
  const refusedAuth = new Counter({ name: 'switchboard_api_auth_failures_total', help: 'Bot API requests refused for a missing or wrong token', registers: [options.metrics] });
  const limited = new Counter({ name: 'switchboard_api_rate_limited_total', help: 'Bot API requests refused by a token\'s rate or long-poll cap', registers: [options.metrics] });
  new Gauge({
    name: 'switchboard_api_long_polls',
    help: 'Bot API long-polls open now',
    registers: [options.metrics],
    collect() {
      this.set(followers.size);
    },
  });

  app.addHook('preClose', async function endLongPolls() {
    followers.close();
  });

  // Validation and body errors in the API's own shape, not Fastify's.
  app.setErrorHandler(async function apiError(error: FastifyError, _request, reply) {
    if (error.validation !== undefined) return fail(reply, 400, 'SB_ERR_API_INVALID', `invalid request: ${error.message}`);
    const status = error.statusCode ?? 500;
    if (status === 413) return fail(reply, 413, 'SB_ERR_API_TOO_LARGE', 'request body too large');
    if (status < 500) return fail(reply, status, 'SB_ERR_API_INVALID', error.message);
    options.logger.error({ err: error }, 'bot API request failed');
    return fail(reply, 500, 'SB_ERR_API_INTERNAL', 'internal error');
  });

  /** The bot a request is from, or null once it has been answered 401. */
  function authenticate(request: FastifyRequest, reply: FastifyReply): string | null {
    const presented = bearer(request);
    const name = presented === null ? null : tokens.verify(presented);
    if (name !== null) return name;
    refusedAuth.inc();
    options.logger.warn({ ip: request.ip, given: presented !== null }, 'bot API request refused: no or wrong token');
    reply.header('www-authenticate', 'Bearer realm="switchboard"');
    void fail(reply, 401, 'SB_ERR_API_TOKEN', presented === null ? 'send a token: Authorization: Bearer TOKEN' : 'wrong token');
    return null;
  }

  /** Takes one post from the bot's bucket; 0 when it may go ahead, else the milliseconds to wait. */
  function throttle(name: string): number {
    if (options.rateLimit <= 0) return 0;
    let bucket = buckets.get(name);
    if (bucket === undefined) {
      bucket = new TokenBucket(options.rateLimit, options.rateBurst, Date.now());
      buckets.set(name, bucket);
    }
    return bucket.takeOrWait(1, Date.now());
  }

  /** The room a request names: its key and name as shown, or null once it has been answered 400. */
  function roomOf(asked: string, reply: FastifyReply): { key: string; name: string } | null {
    const name = prepareRoomName(asked);
    const problem = roomNameProblem(name);
    if (problem !== null) {
      void fail(reply, 400, 'SB_ERR_ROOM_INVALID', `${asked} is not a room name: ${problem}`);
      return null;
    }
    const key = roomKey(name);
    return { key, name: hub.rooms.find(name)?.name ?? options.history?.room(key)?.name ?? name };
  }

  const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 413: errorSchema, 429: errorSchema };

  app.post<{ Params: RoomParams; Body: PostBody }>(
    '/api/rooms/:room/messages',
    {
      // JSON may spell each byte of text as \uXXXX: room for that, the text's own limit is checked below.
      bodyLimit: options.maxPayload * 6 + 1024,
      schema: { params: roomParamsSchema, body: postBodySchema, response: { 201: apiMessageSchema, 202: apiMessageSchema, ...errors, 503: errorSchema } },
    },
    async function postMessage(request, reply) {
      const bot = authenticate(request, reply);
      if (bot === null) return reply;
      const waitMs = throttle(bot);
      if (waitMs > 0) {
        limited.inc();
        reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
        return fail(reply, 429, 'SB_ERR_RATE_LIMITED', `too many messages: ${options.rateLimit} per second (burst ${options.rateBurst}) per token`);
      }
      const { text } = request.body;
      if (Buffer.byteLength(text, 'utf8') > options.maxPayload) return fail(reply, 413, 'SB_ERR_API_TOO_LARGE', `text is longer than ${options.maxPayload} bytes`);
      const name = request.body.from ?? bot;
      const outcome = hub.postAsBot(request.params.room, name, text);
      if (outcome.outcome === 'refused') {
        const status = { 'room-invalid': 400, blank: 400, 'too-many-rooms': 503, closing: 503 }[outcome.reason];
        return fail(reply, status, outcome.reason === 'room-invalid' ? 'SB_ERR_ROOM_INVALID' : 'SB_ERR_API_REFUSED', outcome.text);
      }
      posted.inc({ bot: name });
      // Which token posted, whatever name it showed: the one trace of a token using another bot's name.
      options.logger.info({ token: bot, from: name, room: request.params.room, ip: request.ip, length: text.length }, 'bot API: message posted');
      if (outcome.outcome === 'shared') {
        return reply.code(202).send({ id: 0, room: outcome.room, time: outcome.time, kind: 'chat', from: outcome.from, text: outcome.text, bot: true });
      }
      const message = outcome.message;
      return reply.code(201).send({ id: message.id, room: message.room?.name ?? '', time: message.time, kind: 'chat', from: message.from?.name ?? '', text: message.text, bot: true });
    },
  );

  app.get('/api/rooms', { schema: { response: { 200: roomsSchema, 401: errorSchema } } }, async function listRooms(request, reply) {
    if (authenticate(request, reply) === null) return reply;
    return { rooms: hub.rooms.list(MEMBER_LIST_MAX), total: hub.rooms.size };
  });

  app.get<{ Params: RoomParams; Querystring: MessagesQuery }>(
    '/api/rooms/:room/messages',
    { schema: { params: roomParamsSchema, querystring: messagesQuerySchema, response: { 200: messagesPageSchema, ...errors } } },
    async function readMessages(request, reply) {
      const bot = authenticate(request, reply);
      if (bot === null) return reply;
      const store = options.history;
      if (store === undefined) return fail(reply, 404, 'SB_ERR_API_NO_HISTORY', 'this server keeps no history to read');
      const room = roomOf(request.params.room, reply);
      if (room === null) return reply;
      if (hub.rooms.find(room.name) === undefined && store.room(room.key) === undefined) return fail(reply, 404, 'SB_ERR_API_NO_ROOM', `no room ${room.name}`);
      const { after, limit, wait } = request.query;
      reply.header('cache-control', 'no-store');
      if (after === undefined) {
        const records = store.before(room.key, Number.MAX_SAFE_INTEGER, limit).records;
        return { room: room.name, messages: records.map((record) => toApiMessage(record, room.name)), last: records.at(-1)?.id ?? 0 };
      }
      let records = store.after(room.key, after, limit);
      if (records.length === 0 && wait > 0 && !hub.closing) {
        const open = waits.get(bot) ?? 0;
        if (open >= options.maxWaits) {
          limited.inc();
          reply.header('retry-after', '1');
          return fail(reply, 429, 'SB_ERR_RATE_LIMITED', `this token already holds ${options.maxWaits} long-polls open`);
        }
        waits.set(bot, open + 1);
        // The socket's inactivity timeout (--http-request-timeout) would cut a long-poll as a stalled
        // client: this one is quiet on purpose, for at most `wait` seconds.
        const socket = request.raw.socket;
        socket.setTimeout(wait * 1000 + LONG_POLL_SLACK_MS);
        try {
          await followers.wait(room.key, wait * 1000);
        } finally {
          socket.setTimeout(app.server.timeout);
          const left = (waits.get(bot) ?? 1) - 1;
          if (left === 0) waits.delete(bot);
          else waits.set(bot, left);
        }
        records = store.after(room.key, after, limit);
      }
      return { room: room.name, messages: records.map((record) => toApiMessage(record, room.name)), last: records.at(-1)?.id ?? after };
    },
  );

  app.get('/api/openapi.json', async function openApi() {
    return openApiDocument();
  });
}

/** Without tokens the API is off: its paths say so instead of falling through to the page. */
export function apiOff(app: FastifyInstance): void {
  app.all('/api/*', async function apiIsOff(_request, reply) {
    return fail(reply, 404, 'SB_ERR_API_OFF', 'the bot API is off: start the server with --api-token NAME=TOKEN or --api-tokens-file FILE');
  });
}
