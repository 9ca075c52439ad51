import { existsSync } from 'node:fs';
import os from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: this file runs as dist/server/default-data-dir.js. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A checkout (a clone, a worktree) has the TypeScript sources and their tsconfig.json beside
 * dist/; the packed package (`npm pack`, then `npm install -g`) ships dist/ only.
 */
export function isCheckout(root: string = PACKAGE_ROOT): boolean {
  return existsSync(join(root, 'tsconfig.json'));
}

/** What the default depends on, passed in so a test can try every case. */
export interface DataDirContext {
  env: NodeJS.ProcessEnv;
  checkout: boolean;
  home: string;
}

/**
 * `--data-dir` when none is given. In a checkout it stays `./data` (beside `npm start`, as it
 * always was). Under systemd with `StateDirectory=`, the folder systemd made and gave this
 * process (`$STATE_DIRECTORY`, the first of a colon-separated list). Otherwise, installed as a
 * tool, the XDG state dir: `$XDG_STATE_HOME/switchboard` or `~/.local/state/switchboard`, so a
 * `switchboard serve` started in any folder finds the same history and litters none of them.
 */
export function defaultDataDir(context: DataDirContext = { env: process.env, checkout: isCheckout(), home: os.homedir() }): string {
  const systemd = context.env['STATE_DIRECTORY']?.split(':')[0];
  if (systemd !== undefined && isAbsolute(systemd)) return systemd;
  if (context.checkout) return './data';
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = context.env['XDG_STATE_HOME'];
  const stateHome = xdg !== undefined && isAbsolute(xdg) ? xdg : join(context.home, '.local', 'state');
  return join(stateHome, 'switchboard');
}
