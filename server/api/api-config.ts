import { InvalidArgumentError, Option } from 'commander';
import { parseCount, parseFile, parsePositiveInt } from '../config-parsers.js';

/** The bot API and outgoing webhooks (`serve`'s `--api-*` and `--webhook*` flags). */
export interface ApiConfig {
  /** `NAME=TOKEN` entries (`--api-token`, SWITCHBOARD_API_TOKENS); with none and no file the API is off. */
  apiTokens: string[];
  /** A file of `NAME=TOKEN` lines (`#` comments and blank lines skipped), read at start. */
  apiTokensFile: string | null;
  /** Messages per second each token may post (0 = no limit) and the burst above it. */
  apiRateLimit: number;
  apiRateBurst: number;
  /** Long-polls (`wait=`) one token may hold open at once. */
  apiMaxWaits: number;
  /** `URL` or `ROOM=URL` entries (`--webhook`): every message of the room (of any room) is POSTed there. */
  webhooks: string[];
  /** Key of the HMAC-SHA256 signature of each webhook body; null: unsigned. */
  webhookSecret: string | null;
}

export const DEFAULT_API_CONFIG: ApiConfig = {
  apiTokens: [],
  apiTokensFile: null,
  apiRateLimit: 1,
  apiRateBurst: 10,
  apiMaxWaits: 4,
  webhooks: [],
  webhookSecret: null,
};

/** Repeatable flags: each use adds its entries (the environment's value is a comma-separated list). */
function collect(value: string, previous: string[] | undefined): string[] {
  const added = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return [...(previous ?? []), ...added];
}

/**
 * `--webhook` and SWITCHBOARD_WEBHOOKS: entries separated by white space, not commas, since a URL's
 * query and the `room=…,url=…,secret=…` form hold commas.
 */
function collectWebhooks(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(/\s+/).filter((entry) => entry.length > 0)];
}

function parseSecret(value: string): string {
  if (value.length < 16) throw new InvalidArgumentError('the webhook secret must have at least 16 characters');
  return value;
}

/** The flags, added to `serve`'s by config.ts. */
export function apiOptions(): Option[] {
  return [
    new Option('--api-token <NAME=TOKEN>', 'a bot of the HTTP API: its name and secret token (repeatable; env: comma-separated)')
      .env('SWITCHBOARD_API_TOKENS')
      .argParser(collect),
    new Option('--api-tokens-file <file>', 'a file of NAME=TOKEN lines, one bot each (kept out of `ps`)')
      .env('SWITCHBOARD_API_TOKENS_FILE')
      .argParser(parseFile),
    new Option('--api-rate-limit <messages>', 'messages per second one API token may post (0 = no limit)')
      .env('SWITCHBOARD_API_RATE_LIMIT')
      .argParser(parseCount)
      .default(DEFAULT_API_CONFIG.apiRateLimit),
    new Option('--api-rate-burst <messages>', 'messages one API token may post at once above the rate')
      .env('SWITCHBOARD_API_RATE_BURST')
      .argParser(parsePositiveInt)
      .default(DEFAULT_API_CONFIG.apiRateBurst),
    new Option('--api-max-waits <requests>', 'long-polls (GET …/messages?wait=) one API token may hold open at once')
      .env('SWITCHBOARD_API_MAX_WAITS')
      .argParser(parsePositiveInt)
      .default(DEFAULT_API_CONFIG.apiMaxWaits),
    new Option('--webhook <[ROOM=]URL>', 'POST every message of ROOM (of every room without ROOM=) to URL as JSON; or room=ROOM,url=URL,secret=SECRET (repeatable; env: space-separated)')
      .env('SWITCHBOARD_WEBHOOKS')
      .argParser(collectWebhooks),
    new Option('--webhook-secret <secret>', 'sign webhook bodies with HMAC-SHA256 under this key (X-Switchboard-Signature-256)')
      .env('SWITCHBOARD_WEBHOOK_SECRET')
      .argParser(parseSecret),
  ];
}

/** Commander's parsed options → the API's part of the config. */
export function toApiConfig(options: Record<string, unknown>): ApiConfig {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  return {
    apiTokens: list(options['apiToken']),
    apiTokensFile: typeof options['apiTokensFile'] === 'string' ? options['apiTokensFile'] : null,
    apiRateLimit: Number(options['apiRateLimit'] ?? DEFAULT_API_CONFIG.apiRateLimit),
    apiRateBurst: Number(options['apiRateBurst'] ?? DEFAULT_API_CONFIG.apiRateBurst),
    apiMaxWaits: Number(options['apiMaxWaits'] ?? DEFAULT_API_CONFIG.apiMaxWaits),
    webhooks: list(options['webhook']),
    webhookSecret: typeof options['webhookSecret'] === 'string' ? options['webhookSecret'] : null,
  };
}
