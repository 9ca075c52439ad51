import { readFileSync } from 'node:fs';
import { Command, type CommanderError, Option } from 'commander';
import { DEFAULT_TCP_PORT, DEFAULT_TLS_TCP_PORT } from '../../shared/limits.js';
import { configFileOption, serveOptions } from '../config-options.js';
import { addConfigCommand } from './config-command.js';
import { runConnect } from './connect-command.js';
import { DEFAULT_SEND_SERVER, runSend } from './send-command.js';
import { runServe } from './serve-command.js';

/** `connect`'s flags as commander parses them. */
interface ConnectFlags {
  nick?: string;
  room?: string;
  color: boolean;
  history?: boolean;
  tls?: boolean;
  ca?: string;
  insecure?: boolean;
  password?: string;
}

/** `send`'s flags as commander parses them. */
interface SendFlags {
  room: string;
  server: string;
  token?: string;
  from?: string;
}

/** Exit status of a usage error (bad flag, bad value, unknown command), as for GNU tools and `connect`'s bad address. */
const USAGE_ERROR = 2;

/** From the project's package.json: this file runs as dist/server/cli/main.js. */
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Commander's errors as one line that points at the failing command's help: printing the whole
 * help (60 lines for `serve`) after a typo buried the one line that said what was wrong.
 */
function oneLineErrors(command: Command, name: string): Command {
  return command.configureOutput({
    outputError(text: string, write: (text: string) => void) {
      const message = text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim().replace(/\.$/, '');
      write(`switchboard: ${message}; see '${name} --help'\n`);
    },
  });
}

function exitOnCommanderEnd(error: CommanderError): never {
  // --help and --version end with 0; anything else commander stops on is a usage error.
  process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR);
}

const program = new Command('switchboard')
  .description('One chat room for length-prefixed TCP clients, netcat users and browsers')
  .version(version, '-v, --version', 'print the version')
  .exitOverride(exitOnCommanderEnd);
oneLineErrors(program, 'switchboard');

const serve = program.command('serve').description('run the server: page and WebSocket (HTTP), framed TCP, line TCP');
oneLineErrors(serve, 'switchboard serve');
serve.addOption(configFileOption());
for (const option of serveOptions()) serve.addOption(option);
serve.action(async function serveAction(_options: Record<string, unknown>, command: Command) {
  await runServe(command);
});

addConfigCommand(program, oneLineErrors);

const connect = program
  .command('connect')
  .description('chat from the terminal over the framed protocol')
  .argument('[address]', `host:port, host or :port of the framed TCP port (default: 127.0.0.1:${DEFAULT_TCP_PORT}, with --tls 127.0.0.1:${DEFAULT_TLS_TCP_PORT})`)
  .option('--nick <name>', 'set this nickname once connected')
  .option('--room <room>', 'join this room once connected and talk there (# optional)')
  .option('--no-color', 'never colour the output (colours are only used on a terminal anyway)')
  .option('--history', 'print the messages replayed on joining (default: only when stdout is a terminal)')
  .option('--no-history', 'never print them')
  .option('--tls', 'connect over TLS (the server\'s --tls-tcp-port), checking its certificate')
  .option('--ca <file>', 'trust the CA certificate(s) in this PEM file instead of the system\'s (with --tls)')
  .option('--insecure', 'do not check the server\'s certificate (with --tls; for a test server only)')
  .addOption(new Option('--password <secret>', 'the server password, sent first as /pass (servers started with --password)').env('SWITCHBOARD_PASSWORD'))
  .action(async function connectAction(address: string | undefined, options: ConnectFlags) {
    const { nick, room, color, history, tls, ca, insecure, password } = options;
    const code = await runConnect({ address, nick, room, color, history, tls, ca, insecure, password });
    // stdin may still hold the event loop open (a terminal); stdout/stderr are synchronous here.
    process.exit(code);
  });
oneLineErrors(connect, 'switchboard connect');

const send = program
  .command('send')
  .description('post a message to a room through the bot API (TEXT, or each line of stdin)')
  .argument('[text...]', 'the message; without it, each line of stdin is one')
  .requiredOption('--room <room>', 'the room (# optional)')
  .addOption(new Option('--server <url>', 'the server\'s HTTP address').env('SWITCHBOARD_SERVER').default(DEFAULT_SEND_SERVER))
  .addOption(new Option('--token <token>', 'the bot\'s API token (serve --api-token NAME=TOKEN)').env('SWITCHBOARD_API_TOKEN'))
  .option('--from <name>', 'show the message as from NAME[bot] instead of the token\'s name')
  .action(async function sendAction(text: string[], options: SendFlags) {
    const code = await runSend({ server: options.server, room: options.room, token: options.token, from: options.from, text });
    process.exit(code);
  });
oneLineErrors(send, 'switchboard send');

await program.parseAsync(process.argv);
