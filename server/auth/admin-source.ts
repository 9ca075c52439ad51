import { readFileSync } from 'node:fs';
import { SwitchboardError } from '../../shared/errors.js';
import { ServerPassword } from './server-password.js';

/** `/oper` compares `NAME` LF `SECRET` with each `--admin`: a newline is in no name. */
export function adminSecret(name: string, secret: string): string {
  return `${name}\n${secret}`;
}

/**
 * The server operators: their names and secrets checked as one ServerPassword, and their names
 * alone, which a logged-in account matches (`--accounts`: logging in as `NAME` makes a server
 * operator without `/oper`).
 */
export class AdminList extends ServerPassword {
  private currentNames: readonly string[];

  constructor(entries: readonly (readonly [string, string])[]) {
    super(entries.map(([name, secret]) => adminSecret(name, secret)));
    this.currentNames = entries.map(([name]) => name);
  }

  get names(): readonly string[] {
    return this.currentNames;
  }

  /** The operators of a reloaded configuration (SIGHUP): who is already one stays one until it leaves. */
  replaceEntries(entries: readonly (readonly [string, string])[]): void {
    this.replace(entries.map(([name, secret]) => adminSecret(name, secret)));
    this.currentNames = entries.map(([name]) => name);
  }
}

/** `--admin-file` (or an `--admin` value) that cannot be used: one line at start. */
export class AdminFileError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SB_ERR_ADMIN_FILE', message, options);
    this.name = 'AdminFileError';
  }
}

function entry(line: string, where: string): [string, string] {
  const match = /^([^\s=]+)=(.+)$/.exec(line);
  if (match === null) throw new AdminFileError(`${where}: expected NAME=SECRET`);
  return [match[1]!, match[2]!];
}

/**
 * The server operators of `--admin NAME=SECRET` and `--admin-file` (one NAME=SECRET a line;
 * blank lines and lines starting with # are skipped), as one ServerPassword over `NAME` LF
 * `SECRET`: `/oper` is compared like the server password (digests, timingSafeEqual) and wrong
 * attempts slow down per IP the same way. Null when there are none. A file that cannot be read
 * or has a bad line stops the start.
 */
export function resolveAdmins(admins: readonly string[], adminFile: string | null): AdminList | null {
  const entries = adminEntries(admins, adminFile);
  return entries.length === 0 ? null : new AdminList(entries);
}

/** The `NAME` LF `SECRET` strings of resolveAdmins (what `config check` reads to validate). */
export function adminSecrets(admins: readonly string[], adminFile: string | null): string[] {
  return adminEntries(admins, adminFile).map(([name, secret]) => adminSecret(name, secret));
}

/** The `[NAME, SECRET]` pairs of `--admin` and `--admin-file` (also what a SIGHUP hands the running AdminList). */
export function adminEntries(admins: readonly string[], adminFile: string | null): [string, string][] {
  const entries = admins.map((value) => entry(value, '--admin'));
  if (adminFile !== null) {
    let text: string;
    try {
      text = readFileSync(adminFile, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
      throw new AdminFileError(`cannot read --admin-file ${adminFile}: ${code}`, { cause: error });
    }
    text.split('\n').forEach((raw, index) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '' || line.startsWith('#')) return;
      entries.push(entry(line, `--admin-file ${adminFile} line ${index + 1}`));
    });
  }
  return entries;
}
