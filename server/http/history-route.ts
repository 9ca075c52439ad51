import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HistoryPage } from '../../shared/events.js';
import { type HistoryStore, toMessageEvent } from '../history/history-store.js';

/** `limit` when none is given, and the most one request may ask for. */
export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 500;

type HistoryQuery = Record<string, string | string[] | undefined>;

/** A whole number in [min, max] from a query string value, `fallback` when absent, else null. */
function intParam(value: string | string[] | undefined, min: number, max: number, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * `GET /history?before=ID&limit=N`: older messages for the page's scroll-back, paged by id.
 * Without `before`, the newest. The same history anyone who opens /ws is shown, so it has the
 * same exposure: no CORS headers, so other sites' scripts cannot read it from a visitor's browser.
 */
export function registerHistoryRoute(app: FastifyInstance, store: HistoryStore): void {
  app.get('/history', async function historyPage(request: FastifyRequest<{ Querystring: HistoryQuery }>, reply: FastifyReply) {
    const before = intParam(request.query.before, 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const limit = intParam(request.query.limit, 1, HISTORY_PAGE_MAX, HISTORY_PAGE_DEFAULT);
    if (before === null || limit === null) {
      return reply.code(400).send({ error: `before must be a positive id and limit a whole number from 1 to ${HISTORY_PAGE_MAX}` });
    }
    const { records, more } = store.before(before, limit);
    const page: HistoryPage = { epoch: store.epoch, messages: records.map(toMessageEvent), more };
    return reply.header('cache-control', 'no-store').send(page);
  });
}
