import { Command } from 'commander';
import { DEFAULT_TCP_PORT } from '../../shared/limits.js';
import { serveOptions } from '../config.js';
import { runConnect } from './connect-command.js';
import { runServe } from './serve-command.js';

const program = new Command('switchboard')
  .description('One chat room for length-prefixed TCP clients, netcat users and browsers')
  .showHelpAfterError();

const serve = program.command('serve').description('run the server: page and WebSocket (HTTP), framed TCP, line TCP');
for (const option of serveOptions()) serve.addOption(option);
serve.action(async function serveAction(options: Record<string, unknown>) {
  await runServe(options);
});

program
  .command('connect')
  .description('chat from the terminal over the framed protocol')
  .argument('[address]', 'host:port, host or :port of the framed TCP port', `127.0.0.1:${DEFAULT_TCP_PORT}`)
  .option('--nick <name>', 'set this nickname once connected')
  .option('--no-color', 'never colour the output (colours are only used on a terminal anyway)')
  .action(async function connectAction(address: string, options: { nick?: string; color: boolean }) {
    const code = await runConnect({ address, nick: options.nick, color: options.color });
    // stdin may still hold the event loop open (a terminal); stdout/stderr are synchronous here.
    process.exit(code);
  });

await program.parseAsync(process.argv);
