import { createInterface } from 'node:readline';
import { DEFAULT_HTTP_PORT } from '../../shared/limits.js';

/** `switchboard send`'s settings, as commander parsed them. */
export interface SendOptions {
  server: string;
  room: string;
  token: string | undefined;
  from: string | undefined;
  text: string[];
}

export const DEFAULT_SEND_SERVER = `http://127.0.0.1:${DEFAULT_HTTP_PORT}`;

/** Seconds one request may take before `send` gives up on it. */
const REQUEST_TIMEOUT_MS = 15_000;

/** One POST; null on success, else the server's error (or why there was no answer). */
async function post(url: string, token: string, text: string, from: string | undefined): Promise<string | null> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(from === undefined ? { text } : { text, from }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.ok) return null;
    const body = await response.text();
    let error = body;
    try {
      const parsed = JSON.parse(body) as { error?: unknown };
      if (typeof parsed.error === 'string') error = parsed.error;
    } catch {
      // Not JSON (a proxy's page): its text is the best there is.
    }
    return `${response.status}: ${error.trim()}`;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return `no answer from ${new URL(url).origin}: ${cause}`;
  }
}

/**
 * `switchboard send`: posts TEXT (the arguments joined by spaces), or each line of stdin when
 * there is none, to a room through the bot API. Exit status for scripts: 0 when every message was
 * taken, 1 at the first the server refused (its error on stderr), 2 for a usage error.
 */
export async function runSend(options: SendOptions, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (options.token === undefined || options.token === '') {
    stderr.write('switchboard: send needs a token: --token TOKEN or SWITCHBOARD_API_TOKEN\n');
    return 2;
  }
  let base: URL;
  try {
    base = new URL(options.server);
  } catch {
    stderr.write(`switchboard: --server ${options.server} is not a URL (like ${DEFAULT_SEND_SERVER})\n`);
    return 2;
  }
  const url = new URL(`api/rooms/${encodeURIComponent(options.room)}/messages`, base.href.endsWith('/') ? base : `${base.href}/`).href;
  const lines: AsyncIterable<string> | string[] = options.text.length > 0 ? [options.text.join(' ')] : createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const error = await post(url, options.token, line, options.from);
    if (error !== null) {
      stderr.write(`switchboard: ${error}\n`);
      return 1;
    }
  }
  return 0;
}
