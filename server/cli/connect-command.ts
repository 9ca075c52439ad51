import readline from 'node:readline';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { DEFAULT_MAX_PAYLOAD, DEFAULT_TCP_PORT, DEFAULT_TLS_TCP_PORT, FRAME_HEADER_BYTES } from '../../shared/limits.js';
import { NOTICE_SENDER, formatClientPayload, parseServerPayload } from '../../shared/payload.js';
import { formatIncoming } from './format-incoming.js';
import { SendPacer } from '../../shared/send-pacer.js';
import { type ClientTls, type ClientTlsFlags, clientTlsOf, connectFailureReason, openSocket } from './open-socket.js';
import { type ServerWelcome, closeReasonOf, parseServerWelcome } from './server-welcome.js';

export interface ConnectOptions extends ClientTlsFlags {
  /** Default: 127.0.0.1 on the framed port (12345), or the framed TLS port (12443) with `tls`. */
  address?: string | undefined;
  nick?: string | undefined;
  /** The server password (`--password`, SWITCHBOARD_PASSWORD): sent as `/pass` before anything else. */
  password?: string | undefined;
  /** A room to join (and talk in) once connected: `ops` or `#ops`. */
  room?: string | undefined;
  /** False with --no-color; colours also need a terminal and no NO_COLOR. */
  color: boolean;
  /** Print the messages replayed on joining; default: only when stdout is a terminal. */
  history?: boolean | undefined;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  errors?: NodeJS.WritableStream;
}

/** `host:port`, `host`, `:port` or `[v6]:port`. */
export function parseAddress(address: string, defaultPort = DEFAULT_TCP_PORT): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(address.trim());
  if (match === null) throw new Error(`"${address}" is not host:port`);
  const host = match[1] ?? (match[2] === undefined || match[2] === '' ? '127.0.0.1' : match[2]);
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port < 1 || port > 65535) throw new Error(`"${address}" has no valid port`);
  return { host, port };
}

/** How long to wait for the server's welcome (which announces its limits) before sending anyway. */
const WELCOME_WAIT_MS = 5000;

/**
 * The seed's threaded client, done with one event loop: stdin lines go out as frames in the
 * seed's own `DATE TIME text` form (so a line that starts with a date is kept verbatim), paced to
 * the limits the server's welcome announces; frames in are printed above the line being typed.
 * Resolves with the process exit code: 0 when stdin ended and every line was delivered; 1 when
 * the server was unreachable, went away, closed the connection for a reason (even after stdin
 * ended), or a line was not sent (over the server's size limit).
 */
export function runConnect(options: ConnectOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const errors = options.errors ?? process.stderr;
  const interactive = output.isTTY === true && (input as { isTTY?: boolean }).isTTY === true;
  const color = options.color && output.isTTY === true && process.env['NO_COLOR'] === undefined;
  const printHistory = options.history ?? output.isTTY === true;

  let target: { host: string; port: number };
  let clientTls: ClientTls | null;
  try {
    clientTls = clientTlsOf(options);
    target = parseAddress(options.address ?? '127.0.0.1', clientTls === null ? DEFAULT_TCP_PORT : DEFAULT_TLS_TCP_PORT);
  } catch (error) {
    errors.write(`switchboard: ${(error as Error).message}\n`);
    return Promise.resolve(2);
  }
  const label = `${target.host}:${target.port}`;

  return new Promise<number>(function connectExecutor(resolve) {
    const { socket, readyEvent } = openSocket(target, clientTls);
    let connected = false;
    let stdinDone = false;
    let rl: readline.Interface | undefined;
    let welcome: ServerWelcome | null = null;
    let pacer: SendPacer<Uint8Array> | null = null;
    /** Lines read before the welcome said what the limits are. */
    const waiting: { text: string; line: number }[] = [];
    let replayLeft = 0;
    let closeReason: string | null = null;
    let lineNumber = 0;
    let refusedLines = 0;
    let welcomeTimer: NodeJS.Timeout | undefined;
    /** Set while the lines read before the welcome are queued: the pacer is not drained yet. */
    let starting = false;

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
      if (replayLeft > 0) {
        // The join replay comes right after the welcome, before anything live.
        replayLeft -= 1;
        if (!printHistory) return;
      } else {
        const parsed = parseServerPayload(payload);
        if (parsed !== null && parsed.sender === NOTICE_SENDER) onNotice(parsed.text);
      }
      print(formatIncoming(payload, color));
    }, { maxPayload: 16 * 1024 * 1024 });

    function onNotice(text: string): void {
      closeReason = closeReasonOf(text) ?? closeReason;
      if (welcome !== null) return;
      const parsed = parseServerWelcome(text);
      if (parsed !== null) start(parsed);
    }

    /** The limits are known (or the wait is over): what was typed meanwhile goes out now. */
    function start(announced: ServerWelcome): void {
      clearTimeout(welcomeTimer);
      welcome = announced;
      replayLeft = announced.replayed;
      pacer = new SendPacer(announced.limits, sendFrame, onDrained);
      starting = true;
      for (const { text, line } of waiting.splice(0)) queue(text, line);
      starting = false;
      if (pacer.pending === 0) onDrained();
    }

    function sendFrame(frame: Uint8Array): void {
      if (!socket.destroyed) socket.write(frame);
    }

    function queue(text: string, line: number): void {
      const frame = encodeFrame(formatClientPayload(Date.now(), text));
      const size = frame.length - FRAME_HEADER_BYTES;
      const max = welcome?.maxPayload ?? DEFAULT_MAX_PAYLOAD;
      if (size > max) {
        refusedLines += 1;
        errors.write(`switchboard: line ${line} not sent: ${size} bytes, over the server's limit of ${max}\n`);
        return;
      }
      pacer!.push(frame, size);
    }

    /** Everything read has gone out: once stdin is over too, half-close so the server ends. */
    function onDrained(): void {
      if (stdinDone && !starting && !socket.destroyed) socket.end();
    }

    function onLine(text: string): void {
      lineNumber += 1;
      if (text.trim().length > 0) {
        // A server with a password sends its welcome only after /pass: a typed one cannot wait for it.
        if (pacer === null && /^\/pass\s/i.test(text)) socket.write(encodeFrame(formatClientPayload(Date.now(), text)));
        else if (pacer === null) waiting.push({ text, line: lineNumber });
        else queue(text, lineNumber);
      }
      if (interactive) rl?.prompt();
    }

    function onInputClosed(): void {
      stdinDone = true;
      if (pacer !== null && pacer.pending === 0) onDrained();
    }

    function welcomeOverdue(): void {
      start({ replayed: 0, limits: { messagesPerSecond: 0, messageBurst: 0, bytesPerSecond: 0, byteBurst: 0 }, maxPayload: DEFAULT_MAX_PAYLOAD });
    }

    /**
     * Ctrl-C, as a shell treats an interrupted command: the line being typed is ended (so the
     * shell's prompt starts on its own line), nothing more is sent, exit 130 (128 + SIGINT).
     * On a terminal readline reads Ctrl-C as a key and emits it; piped, it is the signal.
     */
    function onInterrupt(): void {
      if (output.isTTY === true) output.write('\n');
      resolve(130);
      socket.destroy();
      // Closing the input marks it ended, so the socket's close reports nothing.
      rl?.close();
    }
    process.once('SIGINT', onInterrupt);
    socket.once('close', function stopCatchingInterrupt() {
      process.removeListener('SIGINT', onInterrupt);
    });

    socket.on(readyEvent, function onConnect() {
      connected = true;
      socket.setNoDelay(true);
      if (options.password !== undefined && options.password !== '') socket.write(encodeFrame(formatClientPayload(Date.now(), `/pass ${options.password}`)));
      if (options.nick !== undefined) socket.write(encodeFrame(formatClientPayload(Date.now(), `/nick ${options.nick}`)));
      if (options.room !== undefined) socket.write(encodeFrame(formatClientPayload(Date.now(), `/join ${options.room}`)));
      welcomeTimer = setTimeout(welcomeOverdue, WELCOME_WAIT_MS);
      rl = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
      rl.on('line', onLine);
      rl.on('close', onInputClosed);
      rl.on('SIGINT', onInterrupt);
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
      if (!connected) errors.write(`switchboard: cannot connect to ${label}: ${connectFailureReason(error, clientTls)}\n`);
      else if (!stdinDone || closeReason === null) errors.write(`switchboard: connection to ${label} lost: ${why}\n`);
    });

    socket.on('close', function onClose(hadError: boolean) {
      clearTimeout(welcomeTimer);
      pacer?.stop();
      rl?.close();
      if (!connected) {
        resolve(1);
        return;
      }
      const unsent = waiting.length + (pacer?.pending ?? 0);
      if (interactive) readline.clearLine(output, 0);
      if (closeReason !== null) {
        errors.write(`switchboard: connection closed by ${label}: ${closeReason}\n`);
        resolve(1);
      } else if (stdinDone && unsent === 0 && !hadError) {
        resolve(refusedLines > 0 ? 1 : 0);
      } else {
        if (!hadError) errors.write(`switchboard: connection closed by ${label}${unsent > 0 ? ` with ${unsent} lines not sent` : ''}\n`);
        resolve(1);
      }
    });
  });
}
