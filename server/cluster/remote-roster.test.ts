import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberInfo } from '../../shared/events.js';
import type { ClusterSink } from '../hub/cluster-link.js';
import type { RoomRef } from '../message/outgoing-message.js';
import { nickKey } from '../../shared/nick.js';
import { RemoteRoster } from './remote-roster.js';
import { quietFor } from '../test-support/redis.js';
import { until } from '../test-support/until.js';

const ops: RoomRef = { key: '#ops', name: '#ops' };
const lobby: RoomRef = { key: '#lobby', name: '#lobby' };
const ada: MemberInfo = { id: 2_000_000_001, name: 'ada', transport: 'tcp' };
const bob: MemberInfo = { id: 2_000_000_002, name: 'bob', transport: 'ws' };

/** A roster whose calls on the hub are recorded as `what room id`. */
function setup(): { roster: RemoteRoster; calls: string[] } {
  const calls: string[] = [];
  const sink: Partial<ClusterSink> = {
    remoteJoined: (room, member) => calls.push(`join ${room.key} ${member.name}`),
    remoteParted: (room, id, reason) => calls.push(`part ${room.key} ${id}${reason === undefined ? '' : ` (${reason})`}`),
    remoteRenamed: (member, previous) => calls.push(`nick ${previous}>${member.name}`),
  };
  return { roster: new RemoteRoster(() => sink as ClusterSink), calls };
}

describe('RemoteRoster: the other instances\' members, room by room', () => {
  it('tells the hub of joins, parts, renames and quits room by room; a quit leaves every room', () => {
    const { roster, calls } = setup();
    roster.apply({ type: 'hello', instance: 'i2', member: ada });
    roster.apply({ type: 'join', instance: 'i2', member: ada, room: lobby });
    roster.apply({ type: 'join', instance: 'i2', member: ada, room: ops });
    roster.apply({ type: 'join', instance: 'i2', member: ada, room: ops });
    roster.apply({ type: 'nick', instance: 'i2', member: { ...ada, name: 'ada2' }, previous: 'ada' });
    assert.equal(roster.byNick(nickKey('ada2'))?.instance, 'i2', 'found by its new name');
    assert.equal(roster.byNick(nickKey('ada')), undefined);
    roster.apply({ type: 'part', instance: 'i2', member: ada, room: lobby, reason: 'bye' });
    roster.apply({ type: 'quit', instance: 'i2', member: ada });
    assert.deepEqual(calls, ['join #lobby ada', 'join #ops ada', 'nick ada>ada2', `part #lobby ${ada.id} (bye)`, `part #ops ${ada.id}`]);
    assert.equal(roster.size, 0);
  });

  it('an instance gone takes its members out of every room', () => {
    const { roster, calls } = setup();
    roster.apply({ type: 'join', instance: 'i2', member: ada, room: ops });
    roster.apply({ type: 'join', instance: 'i3', member: bob, room: ops });
    roster.apply({ type: 'gone', instance: 'i2' });
    assert.deepEqual(calls.slice(2), [`part #ops ${ada.id} (instance gone)`]);
    assert.equal(roster.size, 1);
  });

  it('a resync joins and parts rooms at once, renames once, and leaves a missing member listed for the grace', async () => {
    const { roster, calls } = setup();
    roster.apply({ type: 'join', instance: 'i2', member: ada, room: lobby });
    roster.apply({ type: 'join', instance: 'i3', member: bob, room: lobby });
    calls.length = 0;
    const mark = roster.beginRead();
    roster.replaceAll([{ info: { ...ada, name: 'zed' }, instance: 'i2', rooms: [ops] }], 'gone while split', 50, mark);
    roster.endRead();
    assert.deepEqual(calls, ['nick ada>zed', `part #lobby ${ada.id}`, 'join #ops zed'], 'ada renamed, left #lobby, joined #ops');
    assert.equal(roster.size, 2, 'bob, missing, is still listed');
    await until(() => roster.size === 1, 'bob is announced gone after the grace', 2000);
    assert.deepEqual(calls.slice(3), [`part #lobby ${bob.id} (gone while split)`]);
  });

  it('events that arrive while Redis is read win over the older list the read returns', async () => {
    const { roster, calls } = setup();
    roster.apply({ type: 'join', instance: 'i2', member: ada, room: lobby });
    roster.apply({ type: 'join', instance: 'i2', member: bob, room: lobby });
    const mark = roster.beginRead();
    // Read from Redis before these, applied after them:
    roster.apply({ type: 'join', instance: 'i2', member: ada, room: ops });
    roster.apply({ type: 'quit', instance: 'i2', member: bob });
    const carol: MemberInfo = { id: 2_000_000_003, name: 'carol', transport: 'line' };
    roster.apply({ type: 'hello', instance: 'i2', member: carol });
    calls.length = 0;
    roster.replaceAll(
      [
        { info: ada, instance: 'i2', rooms: [lobby] },
        { info: bob, instance: 'i2', rooms: [lobby] },
      ],
      'gone while split',
      20,
      mark,
    );
    roster.endRead();
    assert.deepEqual(calls, [], 'ada stays in #ops, bob does not come back');
    await quietFor(60);
    assert.deepEqual(calls, [], 'carol, who connected during the read, is not taken for missing');
    assert.equal(roster.byNick(nickKey('carol'))?.info.id, carol.id);
    assert.deepEqual(roster.byNick(nickKey('ada'))?.rooms.sort(), ['#lobby', '#ops']);
  });
});
