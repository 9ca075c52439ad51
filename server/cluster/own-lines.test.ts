import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SharedDraft, SharedMessage } from '../hub/cluster-link.js';
import { OwnLines } from './own-lines.js';

function draft(text: string): SharedDraft {
  return { room: { key: '#lobby', name: '#lobby' }, kind: 'chat', time: 1, text, from: { id: 1, name: 'ada', transport: 'tcp' } };
}

/** An OwnLines whose local deliveries are recorded as `text@id`. */
function setup(): { own: OwnLines; shown: string[] } {
  const shown: string[] = [];
  const own = new OwnLines('i1', (message: SharedMessage) => shown.push(`${message.text}@${message.id}`));
  return { own, shown };
}

describe('OwnLines: this instance\'s lines between Redis and the stream', () => {
  it('a line Redis stored is left to the stream; nothing is shown here', () => {
    const { own, shown } = setup();
    const nonce = own.send(draft('one'));
    own.answered(nonce, 7);
    assert.equal(own.arrived(nonce), true, 'delivered from the stream');
    assert.deepEqual(shown, []);
    assert.equal(own.waiting, 0);
  });

  it('a refused line is shown here with id 0, but only after the lines said before it', () => {
    const { own, shown } = setup();
    const first = own.send(draft('first'));
    const second = own.send(draft('second'));
    own.answered(first, 7);
    own.answered(second, null);
    assert.deepEqual(shown, [], 'second waits: first has not come back from the stream yet');
    assert.equal(own.arrived(first), true);
    assert.deepEqual(shown, ['second@0'], 'shown right after first was delivered');
  });

  it('a later line arriving from the stream first shows the earlier unanswered ones (they were not stored)', () => {
    const { own, shown } = setup();
    const lost = own.send(draft('lost'));
    const kept = own.send(draft('kept'));
    assert.equal(own.arrived(kept), true);
    assert.deepEqual(shown, ['lost@0']);
    own.answered(lost, null);
    assert.deepEqual(shown, ['lost@0'], 'its late answer changes nothing');
  });

  it('flush (link down) shows everything not back from the stream, in order, once; the stream copy is then skipped', () => {
    const { own, shown } = setup();
    const stored = own.send(draft('stored'));
    const sent = own.send(draft('sent'));
    own.answered(stored, 9);
    own.flush();
    assert.deepEqual(shown, ['stored@0', 'sent@0']);
    own.answered(sent, null);
    assert.equal(own.arrived(stored), false, 'stored after all: not delivered a second time');
    assert.deepEqual(shown, ['stored@0', 'sent@0']);
    const next = own.send(draft('next'));
    assert.equal(own.arrived(next), true, 'lines after the outage are delivered from the stream as usual');
  });

  it('forget (Redis lost its data) shows what was waiting; old nonces are no longer expected', () => {
    const { own, shown } = setup();
    const waiting = own.send(draft('waiting'));
    own.forget();
    assert.deepEqual(shown, ['waiting@0']);
    assert.equal(own.arrived(waiting), false, 'if it still lands in the new stream it is not shown twice');
  });

  it('entries without a nonce (another version) are delivered', () => {
    const { own } = setup();
    assert.equal(own.arrived(null), true);
  });
});
