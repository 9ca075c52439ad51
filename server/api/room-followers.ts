import type { Hub } from '../hub/hub.js';

/**
 * Long-polls waiting for a room's next message (`GET /api/rooms/{room}/messages?wait=`). One hub
 * listener wakes every waiter of the room a message was said in; a waiter also ends at its
 * deadline or when the server closes, so shutdown is never held by a follower.
 */
export class RoomFollowers {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly stopListening: () => void;
  private closed = false;

  constructor(hub: Hub) {
    this.stopListening = hub.onSaid((channel) => {
      this.wake(channel.key);
    });
  }

  /** Resolves at the next message of the room with key `key`, after `ms`, or at close. */
  wait(key: string, ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      let waiters = this.waiting.get(key);
      if (waiters === undefined) {
        waiters = new Set();
        this.waiting.set(key, waiters);
      }
      const set = waiters;
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      }
      set.add(done);
    });
  }

  /** Long-polls open now. */
  get size(): number {
    let count = 0;
    for (const set of this.waiting.values()) count += set.size;
    return count;
  }

  /** Ends every long-poll (they answer what they have: nothing) and stops listening. */
  close(): void {
    this.closed = true;
    this.stopListening();
    for (const key of [...this.waiting.keys()]) this.wake(key);
  }

  private wake(key: string): void {
    const waiters = this.waiting.get(key);
    if (waiters === undefined) return;
    this.waiting.delete(key);
    for (const done of waiters) done();
  }
}
