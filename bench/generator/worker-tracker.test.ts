import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMarker } from '../marker.js';
import { PROGRESS_RECEIVED, PROGRESS_STRIDE, type SharedRun, type WorkerRunPlan } from './protocol.js';
import { WorkerTracker } from './worker-tracker.js';

const RUN = 3;

/** Two rooms of two clients on one thread: clients 0, 1 in room 0, 2, 3 in room 1; senders 0 and 2. */
function twoRooms(): { tracker: WorkerTracker; shared: SharedRun; advanced: number[] } {
  const plan: WorkerRunPlan = {
    run: RUN,
    kinds: ['tcp', 'tcp', 'tcp', 'tcp'],
    roomOf: [0, 0, 1, 1],
    senderClient: [0, 2],
    threadsNeeded: [1, 1],
    perSender: 2,
    pace: { kind: 'saturate', window: 1 },
    startUs: 0,
  };
  const shared: SharedRun = {
    threadsDone: new SharedArrayBuffer(4 * 2 * 2),
    completed: new SharedArrayBuffer(4 * 2),
    progress: new SharedArrayBuffer(8 * PROGRESS_STRIDE),
    stop: new SharedArrayBuffer(4),
  };
  const advanced: number[] = [];
  const tracker = new WorkerTracker(plan, shared, 0, [0, 1, 2, 3], (sender) => advanced.push(sender));
  return { tracker, shared, advanced };
}

describe('WorkerTracker in a many-rooms run', () => {
  it("counts a delivery to the sender's room mate and completes the message with it alone", () => {
    const { tracker, shared, advanced } = twoRooms();
    tracker.onMarker(1, formatMarker(RUN, 0, 0, 0));
    assert.equal(new Float64Array(shared.progress)[PROGRESS_RECEIVED], 1);
    assert.deepEqual(advanced, [0], 'one receiver in the room: the message is done');
    assert.equal(Atomics.load(new Int32Array(shared.completed), 0), 1);
    assert.equal(tracker.report().crossRoom, 0);
  });

  it('counts a delivery to a member of another room as cross-room, never as a delivery', () => {
    const { tracker, shared, advanced } = twoRooms();
    tracker.onMarker(2, formatMarker(RUN, 0, 0, 0));
    tracker.onMarker(3, formatMarker(RUN, 0, 0, 0));
    const report = tracker.report();
    assert.equal(report.crossRoom, 2);
    assert.match(report.errorSamples[0]!, /^cross-room delivery: client 2 \(room 1\) got message 0 of client 0 \(room 0\)/);
    assert.equal(new Float64Array(shared.progress)[PROGRESS_RECEIVED], 0);
    assert.deepEqual(advanced, []);
  });
});
