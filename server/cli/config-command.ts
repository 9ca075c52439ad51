import type { Command } from 'commander';
import { ApiTokens, readTokensFile } from '../api/api-tokens.js';
import { adminSecrets } from '../auth/admin-source.js';
import { resolvePassword } from '../auth/password-source.js';
import { type ConfigFile, type ConfigProblem, formatProblem, readConfigFile } from '../config-file.js';
import { locateKeyInFile } from '../config-file-lines.js';
import { configFileOption, serveOptions } from '../config-options.js';
import { fileKeyName } from '../config-reload.js';
import { renderEffective } from '../config-print.js';
import { resolveConfig } from '../config-resolve.js';

/** The files a config names that the server reads at start and on SIGHUP: checked too, so `check` means `serve` would start. */
const FILE_CHECKS: readonly [string, (file: string) => void][] = [
  ['passwordFile', (file) => resolvePassword(null, file)],
  ['adminFile', (file) => adminSecrets([], file)],
  ['apiTokensFile', (file) => new ApiTokens(readTokensFile(file))],
];

function secretFileProblems(file: ConfigFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [attr, check] of FILE_CHECKS) {
    const value = file.values.get(attr);
    if (typeof value !== 'string') continue;
    try {
      check(value);
    } catch (error) {
      const key = fileKeyName(attr);
      problems.push({ file: file.path, line: locateKeyInFile(file.path, key), key, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return problems;
}

/**
 * `switchboard config check FILE` (exit 0 valid, 1 with one line per problem on stderr) and
 * `switchboard config print [--config FILE] [serve's flags]` (the effective configuration with
 * each value's source, secrets masked).
 */
export function addConfigCommand(program: Command, oneLineErrors: (command: Command, name: string) => Command): void {
  const config = program.command('config').description('check a configuration file, or print the configuration serve would run with');
  oneLineErrors(config, 'switchboard config');

  const check = config
    .command('check')
    .description('check a TOML configuration file: exit 0 when serve would accept it, 1 with one line per problem')
    .argument('<file>', 'the configuration file')
    .action(function checkAction(file: string) {
      const read = readConfigFile(file, serveOptions());
      const problems = read.problems.length > 0 ? read.problems : secretFileProblems(read);
      for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
      if (problems.length === 0) process.stdout.write(`${file}: ok\n`);
      process.exitCode = problems.length === 0 ? 0 : 1;
    });
  oneLineErrors(check, 'switchboard config check');

  const print = config
    .command('print')
    .description('print the effective configuration (flags > env > --config file > defaults), each value with its source; secrets as ***; takes the flags of serve too')
    .addOption(configFileOption());
  for (const option of serveOptions()) print.addOption(option);
  // Same flags as serve, listed there: here they only show what they would change.
  for (const option of print.options) if (option.attributeName() !== 'config') option.hideHelp();
  print.action(function printAction(_options: Record<string, unknown>, command: Command) {
    const resolved = resolveConfig(command, false);
    if (resolved.file !== null && resolved.file.problems.length > 0) {
      for (const problem of resolved.file.problems) process.stderr.write(`switchboard: ${formatProblem(problem)}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(renderEffective(resolved.config, resolved.effective.sources));
  });
  oneLineErrors(print, 'switchboard config print');
}
