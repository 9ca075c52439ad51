/** Run before any queued output is handed to a socket; see onBeforeFlush. */
const beforeFlush = new Set<() => void>();

/**
 * Registers a hook that runs before any output queue hands bytes to a socket: the history store
 * commits its batch here, so a message is never on a wire before it is stored, whichever callback
 * of the turn writes first (an end-of-turn flush, a socket's `drain`, a replay step).
 * Returns the function that removes it.
 */
export function onBeforeFlush(hook: () => void): () => void {
  beforeFlush.add(hook);
  return function removeBeforeFlush() {
    beforeFlush.delete(hook);
  };
}

/** Commits whatever the hooks guard; cheap when there is nothing to commit. */
export function runBeforeFlushHooks(): void {
  for (const hook of beforeFlush) hook();
}
