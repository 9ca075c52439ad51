import type { Option } from 'commander';
import type { Logger } from 'pino';
import { formatProblem, readConfigFile } from './config-file.js';
import { FILE_KEYS } from './config-keys.js';
import { type CommandLineLayer, mergeLayers } from './config-sources.js';
import { type ServerConfig, toServerConfig } from './config.js';

/** The ServerConfig field of an option whose attribute name differs (repeatable flags are plural there). */
const FIELD_OF: Readonly<Record<string, keyof ServerConfig>> = { admin: 'admins', apiToken: 'apiTokens', webhook: 'webhooks' };

/** Files a reload reads again (live-settings.ts), whose new contents no changed value shows. */
const SECRET_FILES = ['passwordFile', 'adminFile', 'apiTokensFile'] as const;

export function configField(attr: string): keyof ServerConfig {
  return FIELD_OF[attr] ?? (attr as keyof ServerConfig);
}

/** `limits.rate_limit`, or the attribute when an option has no file key (a test catches that). */
export function fileKeyName(attr: string): string {
  const spec = FILE_KEYS[attr];
  return spec === undefined ? attr : `${spec.group}.${spec.key}`;
}

/** A changed value as the reload's log line shows it: secrets and lists by name only. */
function describeChange(attr: string, before: unknown, after: unknown): string {
  const spec = FILE_KEYS[attr];
  const shown = (value: unknown): string => (value === null ? 'none' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  if (spec?.secret === true || Array.isArray(before) || Array.isArray(after)) return fileKeyName(attr);
  return `${fileKeyName(attr)} ${shown(before)} -> ${shown(after)}`;
}

export interface ReloadSource {
  /** The `--config` file. */
  path: string;
  /** The flags and env of the start, which still win over the file. */
  layer: CommandLineLayer;
  options: readonly Option[];
  stdoutIsTty: boolean;
}

/** Applies the live part of a new configuration; returns attributes that need a restart after all. Throws to refuse it whole. */
export type ApplyLive = (next: ServerConfig) => string[];

/**
 * SIGHUP with `--config`: reads the file again, applies what can change live, and logs one line
 * naming what changed and what needs a restart (ports, data dir, Redis URL…), which keeps its
 * running value. A file that fails validation, or a secret file that cannot be read, changes
 * nothing and is logged. Returns the configuration now running.
 */
export function reloadConfig(source: ReloadSource, running: ServerConfig, apply: ApplyLive, logger: Logger): ServerConfig {
  const file = readConfigFile(source.path, source.options);
  if (file.problems.length > 0) {
    const problems = file.problems.map(formatProblem);
    logger.error({ problems }, `SIGHUP: ${source.path} has errors; the running configuration stays: ${problems.join('; ')}`);
    return running;
  }
  const attributes = source.options.map((option) => option.attributeName());
  const next = toServerConfig(mergeLayers(source.layer, file, attributes).options, source.stdoutIsTty);
  const changed = attributes.filter((attr) => JSON.stringify(running[configField(attr)]) !== JSON.stringify(next[configField(attr)]));
  const restart = new Set(changed.filter((attr) => FILE_KEYS[attr]?.live !== true));
  let refused: string[];
  try {
    refused = apply(next);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error({ reason }, `SIGHUP: ${source.path} not applied; the running configuration stays: ${reason}`);
    return running;
  }
  // A refused file counts even when its path did not change: its new contents are what was refused.
  const isSecretFile = (attr: string): boolean => (SECRET_FILES as readonly string[]).includes(attr) && next[configField(attr)] !== null;
  for (const attr of refused) if (changed.includes(attr) || isSecretFile(attr)) restart.add(attr);
  // What runs now: the new values, but the old ones of everything that waits for a restart.
  const now: ServerConfig = { ...next };
  for (const attr of restart) Object.assign(now, { [configField(attr)]: running[configField(attr)] });
  const applied = changed.filter((attr) => !restart.has(attr));
  const parts = [applied.length === 0 ? 'nothing changed' : `changed ${applied.map((attr) => describeChange(attr, running[configField(attr)], next[configField(attr)])).join(', ')}`];
  if (restart.size > 0) parts.push(`needs a restart, not applied: ${[...restart].map(fileKeyName).join(', ')}`);
  // Their contents are applied whether or not the path changed: say so, since no value above shows it.
  const reread = SECRET_FILES.filter((attr) => now[configField(attr)] !== null && !restart.has(attr));
  if (reread.length > 0) parts.push(`re-read ${reread.map(fileKeyName).join(', ')}`);
  logger.info({ changed: applied.map(fileKeyName), needsRestart: [...restart].map(fileKeyName) }, `SIGHUP: reloaded ${source.path}: ${parts.join('; ')}`);
  return now;
}
