import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HistoryUnavailableError } from './history-store.js';

/** Node's `EROFS: read-only file system, mkdir '/x'` → `read-only file system (EROFS)`. */
function describe(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  if (typeof errno.code !== 'string' || typeof errno.message !== 'string') return String(error);
  const text = /^[A-Z0-9]+: ([^,]+)/.exec(errno.message)?.[1] ?? errno.message;
  return `${text} (${errno.code})`;
}

/** Creates one missing folder whose parent exists; says why not in a person's words. */
function makeOne(folder: string, target: string): void {
  try {
    mkdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true) return;
    // /proc, /sys: the parent exists and is a folder, yet mkdir says ENOENT (or EPERM).
    const why = code === 'ENOENT' ? `${dirname(folder)} does not allow new folders (ENOENT)` : describe(error);
    throw new HistoryUnavailableError(`data dir ${target} cannot be created: ${why}`, { cause: error });
  }
}

/**
 * Makes sure `--data-dir` is a folder we may write in, creating it and its missing parents.
 * Not `mkdirSync(…, { recursive: true })`: on Node 20 it loops forever at 100 % CPU under /proc
 * (mkdir there says ENOENT although the parent exists, and it retries the parent), and on a
 * read-only mount it reports ENOENT instead of EROFS. Walking down from the nearest existing
 * ancestor one mkdir at a time ends, and each failure names its real cause.
 */
export function prepareDataDir(dataDir: string): string {
  const folder = resolve(dataDir);
  const missing: string[] = [];
  let existing = folder;
  try {
    let stats = statSync(existing, { throwIfNoEntry: false });
    while (stats === undefined && dirname(existing) !== existing) {
      missing.push(existing);
      existing = dirname(existing);
      stats = statSync(existing, { throwIfNoEntry: false });
    }
    if (stats?.isDirectory() !== true) {
      const what = existing === folder ? 'it is not a folder' : `${existing} is not a folder`;
      throw new HistoryUnavailableError(`data dir ${folder} cannot be used: ${what}`);
    }
  } catch (error) {
    if (error instanceof HistoryUnavailableError) throw error;
    throw new HistoryUnavailableError(`data dir ${folder} cannot be used: ${describe(error)}`, { cause: error });
  }
  for (const dir of missing.reverse()) makeOne(dir, folder);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new HistoryUnavailableError(`data dir ${folder} is not writable: ${describe(error)}`, { cause: error });
  }
  return folder;
}
