import net from 'node:net';
import readline from 'node:readline';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { DEFAULT_TCP_PORT } from '../../shared/limits.js';
import { formatClientPayload } from '../../shared/payload.js';
import { formatIncoming } from './format-incoming.js';

export interface ConnectOptions {
  address: string;
  nick?: string | undefined;
  /** False with --no-color; colours also need a terminal and no NO_COLOR. */
  color: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  errors?: NodeJS.WritableStream;
}

/** `host:port`, `host`, `:port` or `[v6]:port`. */
export function parseAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(address.trim());
  if (match === null) throw new Error(`"${address}" is not host:port`);
  const host = match[1] ?? (match[2] === undefined || match[2] === '' ? '127.0.0.1' : match[2]);
  const port = match[3] === undefined ? DEFAULT_TCP_PORT : Number(match[3]);
  if (port < 1 || port > 65535) throw new Error(`"${address}" has no valid port`);
  return { host, port };
}

/**
 * The seed's threaded client, done with one event loop: stdin lines go out as frames in the
 * seed's own `DATE TIME text` form (so a line that starts with a date is kept verbatim), frames
 * in are printed above the line being typed. Resolves with the process exit code: 0 when stdin
 * ended and everything was sent, 1 when the server was unreachable or went away.
 */
export function runConnect(options: ConnectOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const errors = options.errors ?? process.stderr;
  const interactive = output.isTTY === true && (input as { isTTY?: boolean }).isTTY === true;
  const color = options.color && output.isTTY === true && process.env['NO_COLOR'] === undefined;

  let target: { host: string; port: number };
  try {
    target = parseAddress(options.address);
  } catch (error) {
    errors.write(`switchboard: ${(error as Error).message}\n`);
    return Promise.resolve(2);
  }
  const label = `${target.host}:${target.port}`;

  return new Promise<number>(function connectExecutor(resolve) {
    const socket = net.connect(target);
    let connected = false;
    let stdinDone = false;
    let rl: readline.Interface | undefined;

    function print(text: string): void {
      if (rl !== undefined && interactive) {
        readline.clearLine(output, 0);
        readline.cursorTo(output, 0);
        output.write(`${text}\n`);
        rl.prompt(true);
      } else {
        output.write(`${text}\n`);
      }
    }

    const decoder = new FrameDecoder(function onPayload(payload) {
      print(formatIncoming(payload, color));
    });

    function send(text: string): void {
      socket.write(encodeFrame(formatClientPayload(Date.now(), text)));
    }

    function onLine(line: string): void {
      if (line.trim().length > 0) send(line);
      if (interactive) rl?.prompt();
    }

    function onInputClosed(): void {
      stdinDone = true;
      // Half-close: everything written is flushed first; the server then closes its side.
      if (!socket.destroyed) socket.end();
    }

    socket.on('connect', function onConnect() {
      connected = true;
      socket.setNoDelay(true);
      if (options.nick !== undefined) send(`/nick ${options.nick}`);
      rl = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
      rl.on('line', onLine);
      rl.on('close', onInputClosed);
      if (interactive) {
        rl.setPrompt('> ');
        rl.prompt();
      }
    });

    socket.on('data', function onData(chunk: Buffer) {
      try {
        decoder.push(chunk);
      } catch (error) {
        errors.write(`switchboard: bad data from server: ${(error as Error).message}\n`);
        socket.destroy();
      }
    });

    socket.on('error', function onError(error: NodeJS.ErrnoException) {
      const why = error.code ?? error.message;
      if (!connected) errors.write(`switchboard: cannot connect to ${label}: ${why}\n`);
      else if (!stdinDone) errors.write(`switchboard: connection to ${label} lost: ${why}\n`);
    });

    socket.on('close', function onClose(hadError: boolean) {
      const inputEnded = stdinDone;
      rl?.close();
      if (!connected) {
        resolve(1);
      } else if (inputEnded && !hadError) {
        resolve(0);
      } else {
        if (!hadError) {
          if (interactive) readline.clearLine(output, 0);
          errors.write(`switchboard: connection closed by ${label}\n`);
        }
        resolve(1);
      }
    });
  });
}
