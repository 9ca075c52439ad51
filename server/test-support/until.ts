import { DEADLINE_MS } from './deadline.js';

/**
 * Polls `check` every 20 ms until it holds; rejects after `timeoutMs` naming `what`, so a failure
 * says which condition never came true.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
