import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatClock } from './message-view.js';

/** Epoch ms of a local wall-clock time; mid-month dates keep clear of DST switches everywhere. */
function local(hours: number, minutes: number, seconds = 0, ms = 0): number {
  return new Date(2026, 0, 15, hours, minutes, seconds, ms).getTime();
}

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

describe('formatClock', () => {
  it('shows local hours and minutes, zero-padded', () => {
    assert.equal(formatClock(local(0, 0)), '00:00');
    assert.equal(formatClock(local(3, 4)), '03:04');
    assert.equal(formatClock(local(9, 59)), '09:59');
    assert.equal(formatClock(local(10, 5)), '10:05');
  });

  it('uses the 24-hour clock', () => {
    assert.equal(formatClock(local(12, 0)), '12:00');
    assert.equal(formatClock(local(13, 7)), '13:07');
    assert.equal(formatClock(local(23, 59)), '23:59');
  });

  it('drops seconds and milliseconds without rounding up', () => {
    assert.equal(formatClock(local(14, 22, 59, 999)), '14:22');
    assert.equal(formatClock(local(23, 59, 59, 999)), '23:59');
  });

  it('shows the wall clock of the local time zone, not UTC', () => {
    const midnightUtc = Date.UTC(2026, 0, 15, 0, 0);
    inTimeZone('UTC', () => assert.equal(formatClock(midnightUtc), '00:00'));
    inTimeZone('Asia/Kolkata', () => assert.equal(formatClock(midnightUtc), '05:30'));
    inTimeZone('America/New_York', () => assert.equal(formatClock(midnightUtc), '19:00'));
    inTimeZone('America/New_York', () => assert.equal(formatClock(Date.UTC(2026, 6, 15, 0, 0)), '20:00'));
  });

  it('shows the local time of the instant in summer too', () => {
    assert.equal(formatClock(new Date(2026, 6, 15, 18, 30).getTime()), '18:30');
  });

  it('always gives five characters HH:MM within range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (time) => {
        const clock = formatClock(time);
        assert.match(clock, /^([01]\d|2[0-3]):[0-5]\d$/);
        const date = new Date(time);
        assert.equal(clock, `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`);
      }),
    );
  });
});
