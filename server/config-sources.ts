import type { Command } from 'commander';
import type { ConfigFile } from './config-file.js';

/** Where a setting's value came from, strongest first: flag > env > file > default. */
export type ValueSource = 'flag' | 'env' | 'file' | 'default';

/**
 * What commander made of the command line and the environment, before any file: kept by `serve`
 * so a SIGHUP can lay the re-read file under the same flags and env again (a key removed from the
 * file falls back to its default, not to the file's old value).
 */
export interface CommandLineLayer {
  /** Option values by attribute name, defaults included. */
  values: Readonly<Record<string, unknown>>;
  /** Attribute names whose value was given as a flag or in the environment. */
  given: ReadonlyMap<string, 'flag' | 'env'>;
}

/** Reads `command`'s parsed options and where each came from (commander's getOptionValueSource). */
export function commandLineLayer(command: Command): CommandLineLayer {
  const given = new Map<string, 'flag' | 'env'>();
  for (const option of command.options) {
    const attr = option.attributeName();
    const source = command.getOptionValueSource(attr);
    if (source === 'cli') given.set(attr, 'flag');
    else if (source === 'env') given.set(attr, 'env');
  }
  return { values: { ...command.opts() }, given };
}

export interface EffectiveOptions {
  /** What toServerConfig takes: flags and env over the file over the defaults. */
  options: Record<string, unknown>;
  /** The source of every option (attribute name). */
  sources: Map<string, ValueSource>;
}

/** The file's values under the flags and env: a file value only replaces a default. */
export function mergeLayers(layer: CommandLineLayer, file: ConfigFile | null, attributes: readonly string[]): EffectiveOptions {
  const options: Record<string, unknown> = { ...layer.values };
  const sources = new Map<string, ValueSource>();
  for (const attr of attributes) {
    const given = layer.given.get(attr);
    if (given !== undefined) {
      sources.set(attr, given);
    } else if (file !== null && file.values.has(attr)) {
      options[attr] = file.values.get(attr);
      sources.set(attr, 'file');
    } else {
      sources.set(attr, 'default');
    }
  }
  // --password and --password-file exclude each other: one given on the command line hides both in the file.
  for (const [attr, other] of [['password', 'passwordFile'], ['passwordFile', 'password']] as const) {
    if (layer.given.has(attr) && sources.get(other) === 'file') {
      options[other] = layer.values[other];
      sources.set(other, 'default');
    }
  }
  return { options, sources };
}
