/**
 * Where a room's replay goes: from the moment the page joins a room (`joined`) to the end of the
 * history that follows, that history belongs above the join point (it was said before), so it is
 * inserted there; a long replay comes as several `history` events. The replay ends with the
 * first other event about the room after one of its history events: from then on a `history` (a
 * history the server replaced) is live and goes at the end of the log.
 */
export class JoinReplay {
  private open = false;
  private seen = false;

  /** The page (re)joined the room: its history is on its way. */
  begin(): void {
    this.open = true;
    this.seen = false;
  }

  /** A history event of the room: true while it belongs at the join point. */
  history(): boolean {
    this.seen = true;
    return this.open;
  }

  /** Any other event about the room: live traffic after the history ends the replay. */
  other(): void {
    if (this.seen) this.open = false;
  }
}
