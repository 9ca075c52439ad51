import { readFileSync } from 'node:fs';
import { SwitchboardError } from '../../shared/errors.js';

/** `--password-file` that cannot be used: one line at start naming the flag and the file. */
export class PasswordFileError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SB_ERR_PASSWORD_FILE', message, options);
    this.name = 'PasswordFileError';
  }
}

/**
 * The server password from `--password` or `--password-file` (commander refuses both), or null
 * for none. The file's first line is the secret, its line ending stripped, so `echo s3cret >
 * file` works; a file that cannot be read or whose first line is empty stops the start, since a
 * server meant to be closed must not open without its password.
 */
export function resolvePassword(password: string | null, passwordFile: string | null): string | null {
  if (passwordFile === null) return password;
  let text: string;
  try {
    text = readFileSync(passwordFile, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
    throw new PasswordFileError(`cannot read --password-file ${passwordFile}: ${code}`, { cause: error });
  }
  const first = text.split('\n', 1)[0]!.replace(/\r$/, '');
  if (first === '') throw new PasswordFileError(`--password-file ${passwordFile} is empty: its first line is the password`);
  return first;
}
