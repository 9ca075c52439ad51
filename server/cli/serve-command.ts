import { type ServerConfig, toServerConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { type RunningSwitchboard, startSwitchboard } from '../switchboard.js';

/**
 * `switchboard serve`: start everything; on SIGINT/SIGTERM shut down gracefully and exit 0
 * (within --shutdown-timeout); a second signal exits at once with status 130.
 */
export async function runServe(options: Record<string, unknown>): Promise<void> {
  const config: ServerConfig = toServerConfig(options, process.stdout.isTTY === true);
  const logger = createLogger(config.logLevel, config.logPretty);
  let server: RunningSwitchboard;
  try {
    server = await startSwitchboard(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
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
}
