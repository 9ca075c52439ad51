import type { Command, Option } from 'commander';
import { type ConfigFile, readConfigFile } from './config-file.js';
import { type CommandLineLayer, type EffectiveOptions, commandLineLayer, mergeLayers } from './config-sources.js';
import { type ServerConfig, toServerConfig } from './config.js';

/** What `serve` and `config print` make of their flags, env and `--config` file. */
export interface ResolvedConfig {
  /** The `--config` / SWITCHBOARD_CONFIG file, or null. */
  path: string | null;
  layer: CommandLineLayer;
  /** The file read, with its problems (the caller refuses to go on when there are any). */
  file: ConfigFile | null;
  effective: EffectiveOptions;
  config: ServerConfig;
  /** The serve options (without `--config` itself). */
  options: readonly Option[];
}

/** Layers flag > env > file > default for `command` (whose options are serve's plus `--config`). */
export function resolveConfig(command: Command, stdoutIsTty: boolean): ResolvedConfig {
  const options = command.options.filter((option) => option.attributeName() !== 'config');
  const configured = command.getOptionValue('config') as unknown;
  const path = typeof configured === 'string' ? configured : null;
  const layer = commandLineLayer(command);
  const file = path === null ? null : readConfigFile(path, options);
  const effective = mergeLayers(layer, file, options.map((option) => option.attributeName()));
  return { path, layer, file, effective, config: toServerConfig(effective.options, stdoutIsTty), options };
}
