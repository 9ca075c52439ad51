import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberInfo } from '../../shared/events.js';
import { type PresenceSink, RemoteMembers } from './remote-members.js';

const zed: MemberInfo = { id: 1_000_000_001, name: 'zed', transport: 'tcp' };

class Announced implements PresenceSink {
  readonly said: string[] = [];
  joined(_member: null, info: () => MemberInfo): void {
    this.said.push(`joined ${info().name}`);
  }
  left(info: MemberInfo, reason: string | undefined): void {
    this.said.push(`left ${info.name}${reason === undefined ? '' : ` (${reason})`}`);
  }
}

describe('RemoteMembers (one room, the other instances)', () => {
  it('announces a join once, a leave once, and lists who is here', () => {
    const sink = new Announced();
    const remote = new RemoteMembers(sink);
    remote.joined(zed, 'i2');
    remote.joined(zed, 'i2');
    assert.equal(remote.size, 1);
    assert.ok(remote.has(zed.id));
    assert.deepEqual([...remote.values()], [{ info: zed, instance: 'i2' }]);
    remote.left(zed.id, 'instance gone');
    remote.left(zed.id);
    assert.deepEqual(sink.said, ['joined zed', 'left zed (instance gone)']);
    assert.equal(remote.size, 0);
  });

  it('records a rename silently, and only a real one of a member that is here', () => {
    const sink = new Announced();
    const remote = new RemoteMembers(sink);
    assert.equal(remote.rename({ ...zed, name: 'zoe' }), false, 'not here yet');
    remote.joined(zed, 'i2');
    assert.equal(remote.rename(zed), false, 'the same name');
    assert.equal(remote.rename({ ...zed, name: 'zoe' }), true);
    assert.equal([...remote.values()][0]?.info.name, 'zoe');
    assert.deepEqual(sink.said, ['joined zed']);
  });
});
