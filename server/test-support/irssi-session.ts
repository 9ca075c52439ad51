import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until.js';

/** Whether a command is on the PATH. */
export function haveCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian's irssi run as a person runs it: in a terminal (a tmux session on a tmux server of its
 * own, so parallel tests and a developer's tmux never meet), typed into with `send-keys`, read with
 * `capture-pane`. `npm test` installs irssi and tmux as root (ensure-irc-clients.sh); without them
 * `start` throws saying so. Its own home directory keeps the developer's irssi config out.
 */
export class IrssiSession {
  private constructor(
    private readonly socket: string,
    private readonly home: string,
  ) {}

  /** Starts irssi with these arguments (after `--home`), in a 200×50 window. */
  static start(label: string, args: readonly string[]): IrssiSession {
    if (!haveCommand('irssi') || !haveCommand('tmux')) throw new Error('irssi and tmux are not installed: sudo apt-get install -y irssi tmux (npm test does it as root)');
    const home = mkdtempSync(join(tmpdir(), `switchboard-${label}-`));
    const session = new IrssiSession(`switchboard-${label}-${randomBytes(4).toString('hex')}`, home);
    session.tmux('new-session', '-d', '-s', 'irssi', '-x', '200', '-y', '50', 'irssi', `--home=${home}`, ...args);
    return session;
  }

  /** Types a line and presses Enter. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'irssi', '-l', text);
    this.tmux('send-keys', '-t', 'irssi', 'Enter');
  }

  /** The window as shown, wrapped lines joined, with up to 200 lines of scroll-back. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'irssi');
  }

  /** Waits (irssi paces what it sends) until the window shows `pattern`; a failure shows the window. */
  async shows(pattern: RegExp, ms = 10_000): Promise<void> {
    await this.until(() => pattern.test(this.screen()), `irssi shows ${String(pattern)}`, ms);
  }

  /** `until()` whose failure message carries irssi's window, to see what it said instead. */
  async until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
    await until(check, what, ms).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; the window:\n${this.screen()}`);
    });
  }

  /** Ends irssi and its tmux server, and removes its home. */
  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // irssi's /quit already ended the session and the tmux server with it
    }
    rmSync(this.home, { recursive: true, force: true });
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
