import type { Command } from 'commander';
import { formatProblem } from '../config-file.js';
import { reloadConfig } from '../config-reload.js';
import { resolveConfig } from '../config-resolve.js';
import type { ServerConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { type RunningSwitchboard, startSwitchboard } from '../switchboard.js';
import { sqliteBindingProblem } from './sqlite-binding.js';
import { portClash, reportStartupFailure } from './startup-failure.js';

/**
 * `switchboard serve`: start everything; on SIGINT/SIGTERM shut down gracefully and exit 0
 * (within --shutdown-timeout); a second signal exits at once with status 130. SIGHUP never stops
 * it: with `--config` it re-reads the file and applies what can change live (config-reload.ts),
 * and with TLS it re-reads the certificate and key (server/tls/tls-reload.ts). A start-up failure
 * the user can fix (a config file with mistakes, a port in use, a bad --host, an unusable data
 * dir, SQLite not built, a certificate or key that cannot be used) is one line each, exit 1.
 */
export async function runServe(command: Command): Promise<void> {
  const stdoutIsTty = process.stdout.isTTY === true;
  const resolved = resolveConfig(command, stdoutIsTty);
  // A configuration file with problems stops the start: one line each, as `config check` prints them.
  if (resolved.file !== null && resolved.file.problems.length > 0) {
    for (const fileProblem of resolved.file.problems) process.stderr.write(`switchboard: ${formatProblem(fileProblem)}\n`);
    process.exitCode = 1;
    return;
  }
  let config: ServerConfig = resolved.config;
  // Without --redis the history is SQLite's: a missing native build is said before anything starts.
  const problem = portClash(config) ?? (config.redis === null ? sqliteBindingProblem() : null);
  if (problem !== null) {
    process.stderr.write(`switchboard: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  const logger = createLogger(config.logLevel, config.logPretty);
  let server: RunningSwitchboard;
  try {
    server = await startSwitchboard(config, logger);
  } catch (error) {
    reportStartupFailure(error, config, logger);
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  async function onSignal(signal: NodeJS.Signals): Promise<void> {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever happens, the process is gone by the timeout.
    setTimeout(function forceExit() {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeout * 1000 + 1000).unref();
    await server.close();
    logger.info('stopped');
    process.exit(0);
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Always handled, so `systemctl reload` (ExecReload=/bin/kill -HUP $MAINPID) never stops the
  // server: without a handler Node exits on SIGHUP, and systemd counts that as a clean stop, so
  // Restart=on-failure would leave it down. Closing the terminal no longer ends it either (Ctrl-C does).
  const running = server;
  const path = resolved.path;
  const source = path === null ? null : { path, layer: resolved.layer, options: resolved.options, stdoutIsTty };
  process.on('SIGHUP', function onHangup() {
    if (source !== null) config = reloadConfig(source, config, running.applyConfig, logger);
    // With TLS: one log line either way; a pair that cannot be used leaves the running one in place.
    if (running.tlsPorts !== null) running.reloadTls();
    if (source === null && running.tlsPorts === null) logger.info('SIGHUP: nothing to reload (no --config file, no TLS certificate)');
  });
}
