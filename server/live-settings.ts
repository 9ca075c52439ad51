import type { Logger } from 'pino';
import { ApiTokens, readTokensFile } from './api/api-tokens.js';
import { type Webhooks, parseWebhook } from './api/webhooks.js';
import { adminEntries } from './auth/admin-source.js';
import { resolvePassword } from './auth/password-source.js';
import type { ServerConfig } from './config.js';
import type { AllowedHosts } from './http/host-check.js';
import type { Hub } from './hub/hub.js';

/**
 * The parts of a running server whose settings a SIGHUP may swap (FILE_KEYS' `live` keys): each
 * object is the one the transports and routes already hold, changed in place, so nothing is
 * re-created and no connection notices but through the new values.
 */
export interface LiveParts {
  hub: Hub;
  /** The tokens the API routes check; the routes exist only when there were tokens at start. */
  apiTokens: ApiTokens;
  apiOn: boolean;
  webhooks: Webhooks;
  /** The very array the WebSocket gateway reads on each upgrade. */
  allowedOrigins: string[];
  allowedHosts: AllowedHosts;
  logger: Logger;
}

/**
 * Applies `next`'s live settings. Every secret file (`password_file`, `admin_file`,
 * `tokens_file`) is read again and every value checked before anything changes, so a bad one
 * throws and leaves the running settings whole. Returns the attributes that need a restart after
 * all: turning the server password or the operators on or off (the password gate is built at
 * start), and API tokens when the API was off at start (its routes are not registered).
 */
export function applyLiveSettings(parts: LiveParts, next: ServerConfig): string[] {
  const restart: string[] = [];
  const tokens = [...next.apiTokens, ...(next.apiTokensFile === null ? [] : readTokensFile(next.apiTokensFile))];
  new ApiTokens(tokens);
  for (const spec of next.webhooks) parseWebhook(spec);
  const password = resolvePassword(next.password, next.passwordFile);
  const admins = adminEntries(next.admins, next.adminFile);

  const { hub } = parts;
  Object.assign(hub.limits, {
    rateLimit: next.rateLimit,
    rateBurst: next.rateBurst,
    rateLimitBytes: next.rateLimitBytes,
    rateBurstBytes: next.rateBurstBytes,
    floodDisconnectMs: next.floodDisconnect * 1000,
    maxInputQueue: next.maxInputQueue,
    maxRoomsPerMember: next.maxRoomsPerMember,
  });
  parts.logger.level = next.logLevel;
  parts.allowedOrigins.splice(0, parts.allowedOrigins.length, ...next.allowedOrigins);
  parts.allowedHosts.replace(next.allowedHosts);
  parts.webhooks.replace(next.webhooks, next.webhookSecret);
  if (parts.apiOn) parts.apiTokens.replace(tokens);
  else if (tokens.length > 0) restart.push('apiToken', 'apiTokensFile');
  if (hub.password !== null && password !== null) hub.password.replace(password);
  else if ((hub.password === null) !== (password === null)) restart.push('password', 'passwordFile');
  if (hub.admins !== null && admins.length > 0) hub.admins.replaceEntries(admins);
  else if ((hub.admins === null) !== (admins.length === 0)) restart.push('admin', 'adminFile');
  return restart;
}
