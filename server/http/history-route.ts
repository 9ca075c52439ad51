import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { prepareRoomName, roomKey, roomNameProblem } from '../../shared/room-name.js';
import type { ServerPassword } from '../auth/server-password.js';
import { type HistoryRecord, type HistoryStore, toMessageEvent } from '../history/history-store.js';
import { IpRateLimit } from './ip-rate-limit.js';

/** `limit` when none is given, and the most one request may ask for. */
export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 500;
/**
 * A page stops before its messages pass this many bytes of JSON (it always holds at least one),
 * and says `more: true`, so the page asks again from there. A scroll-back page (50 messages) of
 * ordinary chat is a few kilobytes; 1 MiB still fits 50 messages of 20 KB each, and bounds the
 * database reads and JSON work one request can cause.
 */
export const HISTORY_PAGE_MAX_BYTES = 1024 * 1024;
/**
 * Messages read from the store at a time. The response is produced as the client reads it, so a
 * client that stops reading holds at most one batch (8 messages) plus the stream's buffers.
 */
const READ_BATCH = 8;

type HistoryQuery = Record<string, string | string[] | undefined>;

export interface HistoryRouteOptions {
  store: HistoryStore;
  /** The room of a request that names none (`--default-room`). */
  defaultRoom: string;
  /** Requests per second per IP (0 = no limit) and the burst above it; past them, 429. */
  rateLimit: number;
  rateBurst: number;
  /** Defaults to HISTORY_PAGE_MAX_BYTES (tests use less). */
  maxBytes?: number;
  /** The server password (`--password`): then a request must carry it in PASSWORD_HEADER. */
  password?: ServerPassword | null;
}

/**
 * Where `GET /history` takes the server password. A header, not the query: URLs end up in logs
 * and browser history; and a custom header cannot be sent cross-site without a CORS preflight,
 * which this server never grants.
 */
export const PASSWORD_HEADER = 'x-switchboard-password';
// The value is percent-encoded UTF-8 (encodeURIComponent), so any password fits in a header.

/** The password header, percent-decoded (a header can carry only Latin-1); null when absent or empty. */
function decodedHeader(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A whole number in [min, max] from a query string value, `fallback` when absent, else null. */
function intParam(value: string | string[] | undefined, min: number, max: number, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** The room a page is about: its key (what the store files by) and its name as shown. */
interface PageRoom {
  key: string;
  name: string;
}

function encodeRecord(record: HistoryRecord, room: PageRoom): string {
  return JSON.stringify(toMessageEvent(record, room.name));
}

/** Which messages a page holds: `count` of them from id `from` up, and whether older ones exist. */
interface PagePlan {
  from: number;
  count: number;
  more: boolean;
}

/**
 * Walks back from `before` a batch at a time, newest first, until `limit` messages or `maxBytes`
 * of JSON; keeps only the ids, so planning holds one batch at a time.
 */
export function planHistoryPage(store: HistoryStore, room: PageRoom, before: number, limit: number, maxBytes: number): PagePlan {
  let cursor = before;
  let count = 0;
  let bytes = 0;
  let from = 0;
  while (count < limit) {
    const slice = store.before(room.key, cursor, Math.min(READ_BATCH, limit - count));
    for (let i = slice.records.length - 1; i >= 0; i -= 1) {
      const record = slice.records[i]!;
      const size = Buffer.byteLength(encodeRecord(record, room)) + 1;
      if (count > 0 && bytes + size > maxBytes) return { from, count, more: true };
      count += 1;
      bytes += size;
      from = record.id;
    }
    const oldest = slice.records[0];
    if (!slice.more || oldest === undefined) return { from, count, more: false };
    cursor = oldest.id;
  }
  return { from, count, more: true };
}

/**
 * `{"room":…,"epoch":…,"messages":[…],"more":…}` produced as the client reads it (Readable back-pressure):
 * the next batch is read from the store only when the socket has taken the previous one.
 */
class HistoryPageStream extends Readable {
  private started = false;
  private sent = 0;
  private cursor: number;

  constructor(
    private readonly store: HistoryStore,
    private readonly room: PageRoom,
    private readonly before: number,
    private readonly plan: PagePlan,
  ) {
    super();
    this.cursor = plan.from - 1;
  }

  override _read(): void {
    if (!this.started) {
      this.started = true;
      this.push(`{"room":${JSON.stringify(this.room.name)},"epoch":${JSON.stringify(this.store.epoch)},"messages":[`);
    }
    // Records pruned since planning are simply missing; ids at or past `before` are never sent.
    const records = this.sent < this.plan.count ? this.store.after(this.room.key, this.cursor, Math.min(READ_BATCH, this.plan.count - this.sent)) : [];
    const batch = records.filter((record) => record.id < this.before);
    if (batch.length === 0) {
      this.push(`],"more":${this.plan.more}}`);
      this.push(null);
      return;
    }
    let text = '';
    for (const record of batch) {
      text += (this.sent === 0 ? '' : ',') + encodeRecord(record, this.room);
      this.sent += 1;
      this.cursor = record.id;
    }
    this.push(text);
  }
}

/**
 * `GET /history?room=R&before=ID&limit=N`: older messages of room R (the default room without
 * `room`) for the page's scroll-back, paged by id. Without `before`, the newest. The same history anyone who opens /ws is shown, so it has the
 * same exposure: no CORS headers, so other sites' scripts cannot read it from a visitor's browser.
 * What one client can make it cost is bounded three ways: a page stops at HISTORY_PAGE_MAX_BYTES,
 * it is produced only as fast as the client reads it, and each IP has a token bucket (429).
 */
export function registerHistoryRoute(app: FastifyInstance, options: HistoryRouteOptions): void {
  const limiter = new IpRateLimit(options.rateLimit, options.rateBurst);
  const maxBytes = options.maxBytes ?? HISTORY_PAGE_MAX_BYTES;
  app.addHook('onClose', async function stopHistoryRateLimit() {
    limiter.close();
  });
  app.get('/history', async function historyPage(request: FastifyRequest<{ Querystring: HistoryQuery }>, reply: FastifyReply) {
    if (!limiter.take(request.ip)) {
      return reply
        .code(429)
        .header('retry-after', String(limiter.retryAfterSeconds))
        .send({ error: `too many history requests: ${options.rateLimit} per second (burst ${options.rateBurst}) per address` });
    }
    if (options.password !== undefined && options.password !== null) {
      const given = decodedHeader(request.headers[PASSWORD_HEADER]);
      if (given === null) return reply.code(401).send({ error: `this server has a password: send it in the ${PASSWORD_HEADER} header` });
      const verdict = options.password.check(request.ip, given, Date.now());
      if (verdict.outcome === 'wrong') return reply.code(401).send({ error: 'wrong password' });
      if (verdict.outcome === 'locked') {
        const seconds = Math.ceil(verdict.retryMs / 1000);
        return reply.code(429).header('retry-after', String(seconds)).send({ error: `too many wrong passwords from this address; try again in ${seconds} s` });
      }
    }
    const before = intParam(request.query.before, 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const limit = intParam(request.query.limit, 1, HISTORY_PAGE_MAX, HISTORY_PAGE_DEFAULT);
    if (before === null || limit === null) {
      return reply.code(400).send({ error: `before must be a positive id and limit a whole number from 1 to ${HISTORY_PAGE_MAX}` });
    }
    const asked = request.query.room;
    const name = prepareRoomName(typeof asked === 'string' ? asked : options.defaultRoom);
    const problem = roomNameProblem(name);
    if (problem !== null || (asked !== undefined && typeof asked !== 'string')) return reply.code(400).send({ error: `room: ${problem ?? 'one room name'}` });
    const key = roomKey(name);
    const room = { key, name: options.store.room(key)?.name ?? name };
    const plan = planHistoryPage(options.store, room, before, limit, maxBytes);
    return reply
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(new HistoryPageStream(options.store, room, before, plan));
  });
}
