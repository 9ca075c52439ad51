import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { botNameProblem } from '../../shared/bot-name.js';
import { SwitchboardError } from '../../shared/errors.js';

/** Shortest token accepted: a token is the whole secret, so it must not be guessable. */
export const API_TOKEN_MIN_LENGTH = 16;

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A configured token or webhook is wrong (bad name, too short, a name twice): the server does not start. */
export class ApiConfigError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SB_ERR_API_CONFIG', message, options);
    this.name = 'ApiConfigError';
  }
}

/** `NAME=TOKEN` lines of a tokens file: blank lines and `#` comments skipped. */
export function readTokensFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new ApiConfigError(`cannot read --api-tokens-file ${path}: ${code}`, { cause: error });
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * The bots allowed to use the HTTP API, each a name and the SHA-256 of its token. Only hashes are
 * kept, and a presented token is hashed and compared with every one in constant time (all are
 * compared, whichever matches), so neither the timing nor a memory dump gives a token away.
 */
export class ApiTokens {
  private entries: { name: string; hash: Buffer }[] = [];

  /** From `NAME=TOKEN` entries; throws ApiConfigError saying which entry is wrong (never its token). */
  constructor(specs: readonly string[]) {
    const names = new Set<string>();
    for (const spec of specs) {
      const at = spec.indexOf('=');
      const name = at < 0 ? spec : spec.slice(0, at);
      const token = at < 0 ? '' : spec.slice(at + 1);
      const problem = botNameProblem(name);
      if (problem !== null) throw new ApiConfigError(`API token "${name}": ${problem} (the form is NAME=TOKEN)`);
      if (token.length < API_TOKEN_MIN_LENGTH) throw new ApiConfigError(`API token "${name}": the token must have at least ${API_TOKEN_MIN_LENGTH} characters (openssl rand -hex 24 makes one)`);
      if (names.has(name.toLowerCase())) throw new ApiConfigError(`API token "${name}" is given twice`);
      names.add(name.toLowerCase());
      this.entries.push({ name, hash: digest(token) });
    }
  }

  /**
   * The configuration was reloaded (SIGHUP): the new tokens replace these for every later request,
   * or, when one is wrong, this throws and the running ones stay.
   */
  replace(specs: readonly string[]): void {
    this.entries = new ApiTokens(specs).entries;
  }

  /** No tokens: the API is off. */
  get size(): number {
    return this.entries.length;
  }

  /** The bot's name for a presented token, or null. */
  verify(presented: string): string | null {
    const hash = digest(presented);
    let found: string | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(hash, entry.hash) && found === null) found = entry.name;
    }
    return found;
  }
}
