import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { RecordWriter } from './hash-records.js';

/** A write whose outcome the test decides, to order a failure after later changes. */
interface PendingWrite {
  value: string;
  fail(): void;
  succeed(): void;
}

/**
 * RecordWriter is the one place that decides what a room's topic or moderation change becomes when
 * Redis is away or a write fails: these pin that the newest change per room is what reaches Redis.
 * The writes are functions the test settles by hand (Redis's part is in cluster-rooms and
 * cluster-moderation tests, over a real Redis).
 */
function writerUnderTest() {
  let writable = true;
  const live: PendingWrite[] = [];
  const replayed: string[] = [];
  const writer = new RecordWriter<string>('topic', () => writable, pino({ level: 'silent' }), async (value) => {
    replayed.push(value);
  });
  const write = (value: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      live.push({ value, succeed: resolve, fail: () => reject(new Error('connection lost')) });
    });
  return {
    writer,
    write,
    live,
    replayed,
    setWritable(value: boolean) {
      writable = value;
    },
  };
}

/** Lets the rejection handlers of settled writes run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RecordWriter', () => {
  it('keeps only the newest change per room while Redis is away, and replays them in the order first kept', async () => {
    const { writer, setWritable, replayed } = writerUnderTest();
    setWritable(false);
    writer.changed('#a', 'a1');
    writer.changed('#b', 'b1');
    writer.changed('#a', 'a2');
    await writer.sendUnsent();
    assert.deepEqual(replayed, ['a2', 'b1']);
    await writer.sendUnsent();
    assert.deepEqual(replayed, ['a2', 'b1'], 'replayed once: nothing is kept after a replay');
  });

  it('writes a live change with the given write, and keeps nothing when it succeeds', async () => {
    const { writer, write, live, replayed } = writerUnderTest();
    writer.changed('#a', 'a1', write);
    assert.deepEqual(live.map((pending) => pending.value), ['a1']);
    live[0]!.succeed();
    await settle();
    await writer.sendUnsent();
    assert.deepEqual(replayed, []);
  });

  it('keeps a change whose write failed, and replays it with the replay write', async () => {
    const { writer, write, live, replayed } = writerUnderTest();
    writer.changed('#a', 'a1', write);
    live[0]!.fail();
    await settle();
    await writer.sendUnsent();
    assert.deepEqual(replayed, ['a1']);
  });

  it('a write that fails after a newer change made while Redis was away does not put the older value back', async () => {
    const { writer, write, live, replayed, setWritable } = writerUnderTest();
    writer.changed('#a', 'older', write);
    setWritable(false);
    writer.changed('#a', 'newer');
    live[0]!.fail();
    await settle();
    await writer.sendUnsent();
    assert.deepEqual(replayed, ['newer']);
  });

  it('a write that fails after a newer live change is not replayed over it', async () => {
    const { writer, write, live, replayed } = writerUnderTest();
    writer.changed('#a', 'older', write);
    writer.changed('#a', 'newer', write);
    live[1]!.succeed();
    live[0]!.fail();
    await settle();
    await writer.sendUnsent();
    assert.deepEqual(replayed, [], 'the newer value is in Redis; the older one must not follow it');
  });

  it('a write that fails after another instance changed the room (an event noted in marks) is dropped', async () => {
    const { writer, write, live, replayed } = writerUnderTest();
    writer.changed('#a', 'ours', write);
    writer.marks.note('#a');
    live[0]!.fail();
    await settle();
    await writer.sendUnsent();
    assert.deepEqual(replayed, []);
  });

  it('a room changed again while its replay is being written keeps the newer change for the next replay', async () => {
    let writable = false;
    const replayed: string[] = [];
    let writer: RecordWriter<string> | null = null;
    writer = new RecordWriter<string>('topic', () => writable, pino({ level: 'silent' }), async (value) => {
      replayed.push(value);
      if (value === 'first') writer?.changed('#a', 'second');
    });
    writer.changed('#a', 'first');
    await writer.sendUnsent();
    assert.deepEqual(replayed, ['first']);
    writable = true;
    await writer.sendUnsent();
    assert.deepEqual(replayed, ['first', 'second']);
  });

  it('notes every change in its marks, so an older re-read can tell it is stale', () => {
    const { writer, setWritable } = writerUnderTest();
    const before = writer.marks.mark;
    setWritable(false);
    writer.changed('#a', 'a1');
    assert.ok(writer.marks.changedSince('#a', before));
    assert.ok(!writer.marks.changedSince('#b', before));
  });
});
