import { parseWebhook } from './api/webhooks.js';
import { FILE_KEYS, GROUPS } from './config-keys.js';
import { configField } from './config-reload.js';
import type { ValueSource } from './config-sources.js';
import type { ServerConfig } from './config.js';
import type { Retention } from './history/history-store.js';

/**
 * `switchboard config print`: the effective configuration as TOML, each value with its source
 * as a comment, so the output can be read, diffed, or saved as a file (secrets aside). Secrets
 * (the server password, operators' secrets, API tokens, webhook keys, a password in a URL) are
 * `***`: the output ends up in tickets and chat.
 */

export const MASK = '***';

/** A TOML basic string: JSON's escapes are TOML's for everything a setting holds. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/** A URL with its password (redis://:pw@host, https://user:pw@host) masked. */
function maskUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password === '') return text;
    url.password = MASK;
    return url.href.replace(encodeURIComponent(MASK), MASK);
  } catch {
    return text;
  }
}

function retention(value: Retention): string {
  if (value.kind === 'all') return quoted('all');
  if (value.kind === 'count') return String(value.messages);
  return quoted(`${value.ms / 1000}s`);
}

/** `NAME=SECRET` → `{ name = "NAME", secret = "***" }`. */
function namedSecret(spec: string, field: string): string {
  const at = spec.indexOf('=');
  return `{ name = ${quoted(at < 0 ? spec : spec.slice(0, at))}, ${field} = ${quoted(MASK)} }`;
}

function webhook(spec: string): string {
  try {
    const target = parseWebhook(spec);
    const room = target.room === null ? '' : `, room = ${quoted(target.room)}`;
    const secret = target.secret === undefined ? '' : `, secret = ${quoted(MASK)}`;
    return `{ url = ${quoted(maskUrl(target.url))}${room}${secret} }`;
  } catch {
    return quoted(MASK);
  }
}

/** One value as TOML, secrets masked; null for a setting that is not set. */
export function displayValue(attr: string, value: unknown): string | null {
  const spec = FILE_KEYS[attr];
  if (value === null || value === undefined) return null;
  const list = Array.isArray(value) ? value.map(String) : [];
  switch (spec?.kind) {
    case 'admins':
      return `[${list.map((entry) => namedSecret(entry, 'secret')).join(', ')}]`;
    case 'tokens':
      return `[${list.map((entry) => namedSecret(entry, 'token')).join(', ')}]`;
    case 'webhooks':
      return `[${list.map(webhook).join(', ')}]`;
    case 'retain':
      return retention(value as Retention);
    case 'strings':
      return `[${list.map(quoted).join(', ')}]`;
    default:
      // A Redis URL is worth seeing; only its password is secret.
      if (spec?.secret === true) return attr === 'redis' ? quoted(maskUrl(String(value))) : quoted(MASK);
      return typeof value === 'string' ? quoted(value) : String(value);
  }
}

/** The whole configuration, table by table, `key = value  # source`. */
export function renderEffective(config: ServerConfig, sources: ReadonlyMap<string, ValueSource>): string {
  const lines = ['# switchboard: the effective configuration; each value says where it came from (flag, env, file, default)'];
  for (const group of GROUPS) {
    lines.push('', `[${group}]`);
    for (const [attr, spec] of Object.entries(FILE_KEYS)) {
      if (spec.group !== group || !sources.has(attr)) continue;
      const shown = displayValue(attr, config[configField(attr)]);
      const source = sources.get(attr)!;
      lines.push(shown === null ? `# ${spec.key} is not set  # ${source}` : `${spec.key} = ${shown}  # ${source}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
