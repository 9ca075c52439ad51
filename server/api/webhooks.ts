import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { isBotName } from '../../shared/bot-name.js';
import { prepareRoomName, roomKey, roomNameProblem } from '../../shared/room-name.js';
import type { Channel } from '../channel/channel.js';
import type { Hub } from '../hub/hub.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { ApiConfigError } from './api-tokens.js';
import type { ApiMessage } from './api-schemas.js';

/** Header of the body's HMAC-SHA256 under `--webhook-secret`, as `sha256=HEX` (GitHub's form). */
export const SIGNATURE_HEADER = 'x-switchboard-signature-256';

/** How a webhook retries; the defaults give up on a message after about 8 s of failures. */
export interface WebhookTuning {
  /** Messages waiting per webhook; past it new ones are dropped (and counted). */
  maxQueue: number;
  /** Attempts per message, the first included. */
  maxAttempts: number;
  /** Wait before the first retry; doubled for each next one. */
  retryBaseMs: number;
  /** One attempt's deadline. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_TUNING: WebhookTuning = { maxQueue: 1000, maxAttempts: 5, retryBaseMs: 500, timeoutMs: 5000 };

/**
 * One `--webhook`: every message of one room (its key), or of every room (null), to `url`; signed
 * with its own `secret` when given, else with `--webhook-secret`.
 */
export interface WebhookTarget {
  room: string | null;
  url: string;
  secret?: string;
}

/** Shortest secret accepted, here and for `--webhook-secret`: a key anyone could guess signs nothing. */
const MIN_SECRET_LENGTH = 16;
const KEYED_FIELD = /,(?=(?:room|url|secret)=)/;

/**
 * `room=#ops,url=https://…,secret=…` (each field once; url required): a webhook with its own
 * secret, so that two receivers do not share a key. Commas inside the URL are kept.
 */
function parseKeyedWebhook(spec: string): WebhookTarget {
  const fields = new Map<string, string>();
  for (const part of spec.split(KEYED_FIELD)) {
    const equals = part.indexOf('=');
    const key = part.slice(0, equals);
    if (fields.has(key)) throw new ApiConfigError(`--webhook: ${key}= is given twice`);
    fields.set(key, part.slice(equals + 1));
  }
  const url = fields.get('url');
  if (url === undefined) throw new ApiConfigError('--webhook: url= is missing (the form is room=#ROOM,url=URL,secret=SECRET)');
  const shown = spec.replace(/(^|,)secret=.*?(?=,(?:room|url)=|$)/, '$1secret=***');
  const target = webhookTarget(shown, fields.get('room') ?? null, url);
  const secret = fields.get('secret');
  if (secret === undefined) return target;
  if (secret.length < MIN_SECRET_LENGTH) throw new ApiConfigError(`--webhook ${target.url}: the secret must have at least ${MIN_SECRET_LENGTH} characters`);
  return { ...target, secret };
}

/**
 * `URL`, `ROOM=URL` (`#ops=https://…`, `ops=https://…`) or `room=…,url=…,secret=…`; throws
 * ApiConfigError.
 */
export function parseWebhook(spec: string): WebhookTarget {
  // Keyed when it starts with a field name and has several fields, or starts with url= or secret=
  // (`room=https://…` alone is ROOM=URL for a room called room).
  if (/^(?:url|secret)=/.test(spec) || (spec.startsWith('room=') && KEYED_FIELD.test(spec))) return parseKeyedWebhook(spec);
  const scheme = spec.search(/https?:\/\//);
  const roomPart = scheme > 0 && spec[scheme - 1] === '=' ? spec.slice(0, scheme - 1) : null;
  return webhookTarget(spec, roomPart, scheme >= 0 ? spec.slice(scheme) : spec, scheme === 0 || roomPart !== null);
}

/**
 * The target of `spec`: `roomPart` (null: every room) checked as a room name, `address` as an
 * http(s) URL; `shaped` false when the spec is neither URL nor ROOM=URL.
 */
function webhookTarget(spec: string, roomPart: string | null, address: string, shaped = true): WebhookTarget {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new ApiConfigError(`--webhook ${spec}: not an http(s) URL (the form is [ROOM=]URL)`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !shaped) throw new ApiConfigError(`--webhook ${spec}: the form is [ROOM=]http(s)://…`);
  if (roomPart === null) return { room: null, url: url.href };
  const name = prepareRoomName(roomPart);
  const problem = roomNameProblem(name);
  if (problem !== null) throw new ApiConfigError(`--webhook ${spec}: ${roomPart} is not a room name: ${problem}`);
  return { room: roomKey(name), url: url.href };
}

interface Metrics {
  deliveries: Counter<'result'>;
  retries: Counter;
}

/**
 * One webhook's queue: messages are POSTed one at a time, in order; a failed attempt (no answer in
 * time, or a status other than 2xx) is retried after retryBaseMs, then twice that, and so on, up to
 * maxAttempts; then the message is given up (logged, counted) and the next one goes. Chat never
 * waits for it: the queue is bounded and a full one drops new messages.
 */
class WebhookQueue {
  private readonly queue: string[] = [];
  private busy = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(
    readonly target: WebhookTarget,
    private readonly secret: string | null,
    private readonly tuning: WebhookTuning,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  push(body: string): void {
    if (this.closed) return;
    if (this.queue.length >= this.tuning.maxQueue) {
      this.metrics.deliveries.inc({ result: 'dropped' });
      return;
    }
    this.queue.push(body);
    if (!this.busy) void this.drain();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.abort.abort();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (!this.closed && this.queue.length > 0) {
      const body = this.queue[0]!;
      let attempt = 1;
      while (!this.closed && !(await this.attempt(body))) {
        if (attempt >= this.tuning.maxAttempts) {
          this.metrics.deliveries.inc({ result: 'failed' });
          this.log.warn({ webhook: this.target.url, attempts: attempt }, 'webhook: giving up on a message');
          break;
        }
        this.metrics.retries.inc();
        await this.sleep(this.tuning.retryBaseMs * 2 ** (attempt - 1));
        attempt += 1;
      }
      this.queue.shift();
    }
    this.busy = false;
  }

  /** One POST; true when it was taken (2xx). */
  private async attempt(body: string): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'switchboard-webhook', 'x-switchboard-event': 'message' };
    if (this.secret !== null) headers[SIGNATURE_HEADER] = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
    try {
      const response = await fetch(this.target.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.tuning.timeoutMs)]) });
      await response.body?.cancel();
      if (response.ok) {
        this.metrics.deliveries.inc({ result: 'delivered' });
        return true;
      }
      this.log.warn({ webhook: this.target.url, status: response.status }, 'webhook: refused');
    } catch (error) {
      if (!this.closed) this.log.warn({ webhook: this.target.url, err: error instanceof Error ? error.message : String(error) }, 'webhook: no answer');
    }
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer = setTimeout(resolve, ms);
    });
  }
}

/**
 * Outgoing webhooks (`--webhook`): every chat line and action said in a room of this instance,
 * except bots' own (a bot answering a webhook would otherwise loop), is POSTed as JSON (an
 * ApiMessage) to each webhook for that room, signed when `--webhook-secret` is set.
 */
export class Webhooks {
  /** The queues by what made them (spec and the key it signs with), so a reload keeps the unchanged ones. */
  private queues = new Map<string, WebhookQueue>();
  private readonly stopListening: () => void;
  private readonly settings: WebhookTuning;
  private readonly metrics: Metrics;

  constructor(
    hub: Hub,
    specs: readonly string[],
    secret: string | null,
    private readonly logger: Logger,
    registry: Registry,
    tuning: Partial<WebhookTuning> = {},
  ) {
    this.settings = { ...DEFAULT_WEBHOOK_TUNING, ...tuning };
    this.metrics = {
      deliveries: new Counter({ name: 'switchboard_webhook_deliveries_total', help: 'Webhook messages by outcome: delivered, failed (gave up after retries), dropped (queue full)', labelNames: ['result'], registers: [registry] }),
      retries: new Counter({ name: 'switchboard_webhook_retries_total', help: 'Webhook attempts that failed and were tried again', registers: [registry] }),
    };
    this.replace(specs, secret);
    const queued = (): number => {
      let sum = 0;
      for (const queue of this.queues.values()) sum += queue.length;
      return sum;
    };
    new Gauge({
      name: 'switchboard_webhook_queued',
      help: 'Webhook messages waiting to be sent, all webhooks',
      registers: [registry],
      collect() {
        this.set(queued());
      },
    });
    // Listening costs one check per message when there are none; a reload may add some.
    this.stopListening = hub.onSaid(this.said);
  }

  /**
   * The webhooks of a reloaded configuration (SIGHUP): an unchanged one keeps its queue and what
   * it is sending; a removed or changed one is closed (its queued messages are dropped). Throws,
   * changing nothing, when a spec is wrong.
   */
  replace(specs: readonly string[], secret: string | null): void {
    const targets = specs.map((spec) => parseWebhook(spec));
    const next = new Map<string, WebhookQueue>();
    targets.forEach((target, index) => {
      const key = `${specs[index]!}\n${target.secret ?? secret ?? ''}`;
      next.set(key, this.queues.get(key) ?? next.get(key) ?? new WebhookQueue(target, target.secret ?? secret, this.settings, this.metrics, this.logger));
    });
    for (const [key, queue] of this.queues) if (!next.has(key)) queue.close();
    this.queues = next;
  }

  close(): void {
    this.stopListening();
    for (const queue of this.queues.values()) queue.close();
  }

  /**
   * With `--redis` every instance sees every message; only the sender's own instance posts it, so
   * instances started with the same `--webhook` flags deliver each message once, not once each.
   */
  private readonly said = (channel: Channel, message: OutgoingMessage, local: boolean): void => {
    const from = message.from?.name;
    if (!local || from === undefined || isBotName(from) || message.kind === 'notice') return;
    let body: string | null = null;
    for (const queue of this.queues.values()) {
      if (queue.target.room !== null && queue.target.room !== channel.key) continue;
      const payload: ApiMessage = { id: message.id, room: channel.name, time: message.time, kind: message.kind, from, text: message.text, bot: false };
      body ??= JSON.stringify(payload);
      queue.push(body);
    }
  };
}
