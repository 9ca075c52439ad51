import type { SharedDraft, SharedMessage } from '../hub/cluster-link.js';

/** Where a line of this instance is: sent to Redis, stored (with an id, not read back yet), or refused. */
type LineState = 'sent' | 'stored' | 'failed';

interface OwnLine {
  nonce: number;
  draft: SharedDraft;
  state: LineState;
}

/**
 * The chat lines this instance's members said that have not come back from the shared stream yet,
 * in the order they were said. Normally a line comes back from the stream with its id and is
 * delivered from there. A line Redis did not store (refused, or no answer before the link went
 * down) is delivered here instead, to this instance's members only, with id 0 ("not stored"), and
 * never before the lines said ahead of it: each sender's order holds.
 *
 * Every line carries a nonce (per instance, increasing) in its stream entry, so a line that was
 * shown here with id 0 and still turns up in the stream (Redis stored it just before it stopped
 * answering) is recognised and not delivered a second time.
 */
export class OwnLines {
  private readonly instance: string;
  private readonly deliver: (message: SharedMessage) => void;
  private nextNonce = 1;
  private pending: OwnLine[] = [];
  /** Nonces of lines shown here with id 0 that might still come from the stream. */
  private readonly shownHere = new Set<number>();

  constructor(instance: string, deliver: (message: SharedMessage) => void) {
    this.instance = instance;
    this.deliver = deliver;
  }

  /** A line goes to Redis; its nonce goes into the stream entry. */
  send(draft: SharedDraft): number {
    const nonce = this.nextNonce++;
    this.pending.push({ nonce, draft, state: 'sent' });
    return nonce;
  }

  /** Redis answered a publish: the id it stored the line with, or null (refused, failed, timed out). */
  answered(nonce: number, id: number | null): void {
    const line = this.pending.find((candidate) => candidate.nonce === nonce);
    if (line === undefined) return;
    line.state = id === null ? 'failed' : 'stored';
    this.showFailedAhead();
  }

  /**
   * A line of this instance read from the stream (nonce null: written by a version without
   * nonces). True if it is to be delivered; false if it was already shown here with id 0.
   */
  arrived(nonce: number | null): boolean {
    if (nonce === null) return true;
    const shown = this.shownHere.delete(nonce);
    // Own lines reach the stream in nonce order: older nonces shown here can no longer turn up.
    for (const old of this.shownHere) if (old < nonce) this.shownHere.delete(old);
    if (shown) return false;
    const index = this.pending.findIndex((line) => line.nonce === nonce);
    if (index < 0) return true;
    // Lines said before this one and not in the stream were not stored: they go first, with id 0.
    const ahead = this.pending.splice(0, index + 1);
    ahead.pop();
    for (const line of ahead) this.showHere(line);
    this.showFailedAhead();
    return true;
  }

  /**
   * The link went down: whatever has not come back from the stream is shown here now, in order,
   * with id 0, since it may not come back for as long as Redis is away.
   */
  flush(): void {
    const lines = this.pending;
    this.pending = [];
    for (const line of lines) this.showHere(line);
  }

  /**
   * Redis lost its data (new history epoch): lines still waiting may have gone with it, so they
   * are shown now; lines shown before cannot come back from the new stream, so they are forgotten.
   */
  forget(): void {
    this.shownHere.clear();
    this.flush();
  }

  /** Lines waiting for the stream (for tests and metrics). */
  get waiting(): number {
    return this.pending.length;
  }

  private showFailedAhead(): void {
    while (this.pending[0]?.state === 'failed') this.showHere(this.pending.shift()!);
  }

  private showHere(line: OwnLine): void {
    this.shownHere.add(line.nonce);
    this.deliver({ ...line.draft, id: 0, instance: this.instance });
  }
}
