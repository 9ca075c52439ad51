import { type ServerConfig, toServerConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { startSwitchboard } from '../switchboard.js';

/** `switchboard serve`: start everything and stop cleanly on SIGINT/SIGTERM. */
export async function runServe(options: Record<string, unknown>): Promise<void> {
  const config: ServerConfig = toServerConfig(options, process.stdout.isTTY === true);
  const logger = createLogger(config.logLevel, config.logPretty);
  let running;
  try {
    running = await startSwitchboard(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exitCode = 1;
    return;
  }
  const server = running;
  let stopping = false;
  async function onSignal(signal: NodeJS.Signals): Promise<void> {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    logger.info('stopped');
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
