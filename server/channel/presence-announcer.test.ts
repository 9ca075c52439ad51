import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberInfo } from '../../shared/events.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';
import { PresenceAnnouncer, realWindowTimer, type WindowTimer } from './presence-announcer.js';

/**
 * PresenceAnnouncer's windows with a timer the test ends by hand and a fixed clock: when notices
 * go out, to whom, and how long a window lasts. No real time passes.
 */

const ROOM = { name: '#lobby', key: '#lobby' };
const NOW = 1_700_000_000_000;

function member(id: number, name = `m${id}`): MemberInfo {
  return { id, name, transport: 'line' };
}

/** An announcer for a room of `size` members, what it sent, and the windows it opened. */
function announcer(delayMs: number, size = 2) {
  const sent: { message: OutgoingMessage; except: string | undefined }[] = [];
  const windows: { ms: number; end: () => void; cancelled: boolean }[] = [];
  const timer: WindowTimer = (end, ms) => {
    const window = { ms, end, cancelled: false };
    windows.push(window);
    return { cancel: () => (window.cancelled = true) };
  };
  const presence = new PresenceAnnouncer<string>(ROOM, delayMs, () => NOW, (message, except) => sent.push({ message, except }), () => size, timer);
  return { presence, sent, windows };
}

describe('PresenceAnnouncer', () => {
  it('announces a join in a quiet room at once, to all but the joiner, and opens a window', () => {
    const { presence, sent, windows } = announcer(100);
    presence.joined('ada', () => member(1, 'ada'));
    assert.equal(sent.length, 1);
    const [{ message, except }] = sent as [(typeof sent)[0]];
    assert.deepEqual(
      [message.kind, message.notice, message.text, message.time, message.room, message.member],
      ['notice', 'join', 'ada joined (line)', NOW, ROOM, member(1, 'ada')],
    );
    assert.equal(except, 'ada');
    assert.deepEqual(
      windows.map((window) => window.ms),
      [100],
    );
  });

  it('holds what changes within the window and announces it together when the window ends, opening the next', () => {
    const { presence, sent, windows } = announcer(100);
    presence.joined('a', () => member(1));
    presence.joined('b', () => member(2));
    presence.left(member(3), 'quit');
    assert.equal(sent.length, 1, 'nothing more until the window ends');
    assert.equal(windows.length, 1);
    windows[0]!.end();
    assert.deepEqual(
      sent.slice(1).map(({ message, except }) => [message.text, except]),
      [
        ['m2 joined (line)', 'b'],
        ['m3 left (quit)', undefined],
      ],
    );
    assert.equal(windows.length, 2, 'announcing opened the next window');
  });

  it('a window that ends with nothing pending opens none; the next change goes out at once', () => {
    const { presence, sent, windows } = announcer(100);
    presence.left(member(1), undefined);
    windows[0]!.end();
    assert.equal(windows.length, 1);
    presence.left(member(2), undefined);
    assert.deepEqual(
      sent.map(({ message, except }) => [message.notice, message.text, except]),
      [
        ['leave', 'm1 left', undefined],
        ['leave', 'm2 left', undefined],
      ],
    );
    assert.equal(windows.length, 2);
  });

  it('a batch of joins goes to everyone, the joiners too; a lone remote join (no local member) to everyone', () => {
    const { presence, sent, windows } = announcer(100);
    presence.joined(null, () => member(1));
    presence.joined('b', () => member(2));
    presence.joined('c', () => member(3));
    windows[0]!.end();
    assert.deepEqual(
      sent.map(({ message, except }) => [message.text, message.count, except]),
      [
        ['m1 joined (line)', undefined, undefined],
        ['2 members joined: m2 (line), m3 (line)', 2, undefined],
      ],
    );
    assert.deepEqual(sent[1]?.message.members, [member(2), member(3)]);
  });

  it('flush announces what is pending before anything else is said, and nothing when nothing is', () => {
    const { presence, sent } = announcer(100);
    presence.joined('a', () => member(1));
    presence.joined('b', () => member(2));
    presence.flush();
    assert.equal(sent.length, 2);
    presence.flush();
    assert.equal(sent.length, 2);
  });

  it('the window is 1 ms per 10 members when that is longer than the delay', () => {
    const big = announcer(100, 5000);
    big.presence.joined('a', () => member(1));
    assert.equal(big.windows[0]?.ms, 500);
    const small = announcer(100, 999);
    small.presence.joined('a', () => member(1));
    assert.equal(small.windows[0]?.ms, 100);
  });

  it('a delay of 0 announces every change on its own and opens no window', () => {
    const { presence, sent, windows } = announcer(0);
    presence.joined('a', () => member(1));
    presence.joined('b', () => member(2));
    presence.left(member(1), undefined);
    assert.equal(sent.length, 3);
    assert.equal(windows.length, 0);
  });

  it('stop drops what is pending and cancels the window', () => {
    const { presence, sent, windows } = announcer(100);
    presence.joined('a', () => member(1));
    presence.joined('b', () => member(2));
    presence.stop();
    assert.equal(windows[0]?.cancelled, true);
    presence.flush();
    assert.equal(sent.length, 1);
    presence.joined('c', () => member(3));
    assert.equal(sent.length, 2, 'after stop a change goes out at once again');
  });

  it('stop with no window open is harmless', () => {
    const { presence, sent } = announcer(100);
    presence.stop();
    presence.joined('a', () => member(1));
    assert.equal(sent.length, 1);
  });

  it('the real timer ends its window after the given time and can be cancelled', async () => {
    const ended: string[] = [];
    realWindowTimer(() => ended.push('cancelled one'), 1).cancel();
    // The real timer is unref'd: a ref'd deadline keeps the process up and bounds the wait.
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        realWindowTimer(() => {
          ended.push('ended');
          resolve();
        }, 1);
      }),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(new Error('timed out waiting for the real window timer to end')), 5000);
      }),
    ]);
    clearTimeout(deadline);
    assert.deepEqual(ended, ['ended']);
  });
});
