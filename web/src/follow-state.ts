/** Within this many pixels of the end counts as "at the bottom" (sub-pixel rounding, zoom). */
export const BOTTOM_SLACK_PX = 48;

/** Where the log's view is after a `scroll` event, and where it was before it. */
export interface ScrollPosition {
  /** scrollTop now. */
  top: number;
  /** scrollTop at the previous scroll event or programmatic scroll. */
  previousTop: number;
  /** Pixels between the bottom of the view and the end of the log. */
  gap: number;
}

/**
 * What a scroll event means for following:
 * - `caught-up`: the view is at the end, however it got there (nothing is hidden below);
 * - `stopped`: the reader moved up, away from the end;
 * - `repin`: still following, but a layout change (a taller header or composer, a hint that
 *   appeared) shrank the view and left a gap below it: scroll back down;
 * - `unchanged`: not following, and the reader did not reach the end.
 *
 * Only a move up can stop following. A layout change never moves scrollTop up while there is
 * room below (the browser only clamps it when the end comes into view), so the gap it opens is not
 * read as "the reader scrolled up": that misreading once left the log stuck for 15 minutes.
 */
export type ScrollVerdict = 'caught-up' | 'stopped' | 'repin' | 'unchanged';

export function scrollVerdict(following: boolean, position: ScrollPosition): ScrollVerdict {
  if (position.gap <= BOTTOM_SLACK_PX) return 'caught-up';
  if (position.top < position.previousTop) return 'stopped';
  return following ? 'repin' : 'unchanged';
}
