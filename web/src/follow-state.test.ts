import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOTTOM_SLACK_PX, scrollVerdict } from './follow-state.js';

describe('scrollVerdict', () => {
  it('a view at the end is caught up, whether following or not', () => {
    assert.equal(scrollVerdict(false, { top: 900, previousTop: 400, gap: 0 }), 'caught-up');
    assert.equal(scrollVerdict(true, { top: 900, previousTop: 900, gap: BOTTOM_SLACK_PX }), 'caught-up');
    // The view grew taller (a hint went away): the browser clamped scrollTop down, the end is in view.
    assert.equal(scrollVerdict(false, { top: 841, previousTop: 900, gap: 0 }), 'caught-up');
  });

  it('the reader moving up past the slack stops following', () => {
    assert.equal(scrollVerdict(true, { top: 700, previousTop: 900, gap: 200 }), 'stopped');
    assert.equal(scrollVerdict(true, { top: 899, previousTop: 900, gap: BOTTOM_SLACK_PX + 1 }), 'stopped');
  });

  it('a gap that opened without a move up (the view shrank) keeps following and asks to scroll down', () => {
    // The report's case: a 59 px hint under the nickname field, scrollTop unchanged.
    assert.equal(scrollVerdict(true, { top: 900, previousTop: 900, gap: 59 }), 'repin');
    // The browser's scroll anchoring may move scrollTop down; still not the reader going up.
    assert.equal(scrollVerdict(true, { top: 950, previousTop: 900, gap: 300 }), 'repin');
  });

  it('a reader who is not following and does not reach the end stays where they are', () => {
    assert.equal(scrollVerdict(false, { top: 500, previousTop: 400, gap: 300 }), 'unchanged');
    assert.equal(scrollVerdict(false, { top: 300, previousTop: 400, gap: 500 }), 'stopped');
  });
});
