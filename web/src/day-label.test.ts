import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayKey, dayLabel, fullDateTime } from './day-label.js';

/** Runs `body` with the process in time zone `zone`; Node picks up a changed TZ at once. */
function inTimeZone(zone: string, body: () => void): void {
  const saved = process.env['TZ'];
  process.env['TZ'] = zone;
  try {
    body();
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
}

/** 22:59 and 23:01 UTC on Monday 3 March 2025: one day in London, two in Paris and in Tokyo. */
const BEFORE = Date.UTC(2025, 2, 3, 22, 59);
const AFTER = Date.UTC(2025, 2, 3, 23, 1);

describe('dayKey', () => {
  it('is the local calendar day', () => {
    inTimeZone('Europe/London', () => {
      assert.equal(dayKey(BEFORE), '2025-03-03');
      assert.equal(dayKey(AFTER), '2025-03-03');
    });
    inTimeZone('Europe/Paris', () => {
      assert.equal(dayKey(BEFORE), '2025-03-03');
      assert.equal(dayKey(AFTER), '2025-03-04');
    });
    inTimeZone('America/Los_Angeles', () => {
      assert.equal(dayKey(BEFORE), '2025-03-03');
      assert.equal(dayKey(Date.UTC(2025, 2, 3, 7, 59)), '2025-03-02');
    });
  });

  it('zero-pads month and day, so keys of one year sort as the days do', () => {
    inTimeZone('UTC', () => {
      assert.equal(dayKey(Date.UTC(2025, 0, 5, 12)), '2025-01-05');
      assert.ok(dayKey(Date.UTC(2025, 8, 30, 12)) < dayKey(Date.UTC(2025, 9, 1, 12)));
    });
  });
});

describe('dayLabel and fullDateTime', () => {
  it('name the weekday, day, month and year in the local zone and the given locale', () => {
    inTimeZone('Europe/Paris', () => {
      assert.match(dayLabel(BEFORE, 'en-GB'), /^Monday,? 3 March 2025$/);
      assert.match(dayLabel(AFTER, 'en-GB'), /^Tuesday,? 4 March 2025$/);
      assert.match(dayLabel(AFTER, 'en-US'), /^Tuesday, March 4, 2025$/);
      assert.match(dayLabel(AFTER, 'de-DE'), /^Dienstag, 4\. März 2025$/);
    });
  });

  it('the full form adds the time to the second', () => {
    inTimeZone('Europe/Paris', () => {
      const text = fullDateTime(AFTER + 7_000, 'en-GB');
      assert.match(text, /Tuesday,? 4 March 2025/);
      assert.match(text, /00:01:07/);
    });
  });
});
