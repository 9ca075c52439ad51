import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { ConnectionGate } from './connection-gate.js';

/** The gate alone (issue 20, item 2): what admits, refuses and releases, without sockets. */
describe('ConnectionGate', () => {
  it('refuses past the total cap, and admits again once a slot is released, from the same IP', () => {
    const gate = new ConnectionGate(2, 0);
    assert.equal(gate.admit('10.0.0.1'), null);
    assert.equal(gate.admit('10.0.0.1'), null);
    assert.equal(gate.admit('10.0.0.2'), 'server full: 2 connections');
    gate.release('10.0.0.1');
    assert.equal(gate.open, 1);
    assert.equal(gate.admit('10.0.0.1'), null, 'the freed slot is taken again by the same IP');
    assert.equal(gate.admit('10.0.0.2'), 'server full: 2 connections', 'and the cap still holds after it');
  });

  it('counts per IP: one IP at its cap does not stop another, and a release lets it in again', () => {
    const gate = new ConnectionGate(0, 1);
    assert.equal(gate.admit('10.0.0.1'), null);
    assert.equal(gate.admit('10.0.0.1'), 'too many connections from 10.0.0.1: 1 at most');
    assert.equal(gate.admit('10.0.0.2'), null);
    gate.release('10.0.0.1');
    assert.equal(gate.admit('10.0.0.1'), null);
    assert.equal(gate.open, 2);
  });

  it('ignores a release it did not admit, or one too many: no slot is created and no IP is locked out', () => {
    const gate = new ConnectionGate(1, 1);
    gate.release('10.0.0.9');
    assert.equal(gate.open, 0, 'a stray release does not go below zero');
    assert.equal(gate.admit('10.0.0.1'), null);
    gate.release('10.0.0.1');
    gate.release('10.0.0.1');
    assert.equal(gate.open, 0);
    assert.equal(gate.admit('10.0.0.2'), null, 'the double release did not lift the cap…');
    assert.equal(gate.admit('10.0.0.3'), 'server full: 1 connections', '…to two');
  });

  it('at the total cap, asks the evictors for an idle socket of any IP before refusing', () => {
    const gate = new ConnectionGate(1, 1);
    const asked: (string | null)[] = [];
    let idle = 1;
    gate.addEvictor((ip) => {
      asked.push(ip);
      if (idle === 0) return false;
      idle -= 1;
      gate.release('10.0.0.1');
      return true;
    });
    assert.equal(gate.admit('10.0.0.1'), null);
    assert.equal(gate.admit('10.0.0.2'), null, 'the idle socket of 10.0.0.1 made way');
    assert.deepEqual(asked, [null]);
    assert.equal(gate.admit('10.0.0.3'), 'server full: 1 connections', 'nothing left to evict');
    assert.deepEqual(asked, [null, null]);
  });

  it('caps sockets at the descriptors left for them, whatever --max-connections says', () => {
    const gate = new ConnectionGate(0, 0);
    gate.limitSockets(2);
    assert.equal(gate.admit('10.0.0.1'), null);
    assert.equal(gate.admit('10.0.0.2'), null);
    assert.equal(gate.admit('10.0.0.3'), 'server full: out of file descriptors for 2 connections');
    gate.limitSockets(0);
    assert.equal(gate.capacity, 1, 'never below one');
  });

  it('a release from an IP with several connections leaves the others counted', () => {
    const gate = new ConnectionGate(0, 2);
    assert.equal(gate.admit('10.0.0.1'), null);
    assert.equal(gate.admit('10.0.0.1'), null);
    gate.release('10.0.0.1');
    assert.equal(gate.open, 1);
    assert.equal(gate.admit('10.0.0.1'), null, 'one of two slots was free');
    assert.equal(gate.admit('10.0.0.1'), 'too many connections from 10.0.0.1: 2 at most', 'the other was still counted');
  });

  it('a refused socket being told why holds a descriptor until it closes, and is cut at once when none is left', () => {
    const gate = new ConnectionGate(0, 0);
    gate.limitSockets(2);
    assert.equal(gate.capacity, 2);
    assert.equal(gate.admit('10.0.0.1'), null);
    // Real, unconnected sockets: only their 'close' matters here.
    const told = new net.Socket();
    assert.equal(gate.lingerRefused(told), true, 'one descriptor to spare');
    assert.equal(gate.lingerRefused(new net.Socket()), false, 'none left: destroy it now');
    assert.equal(gate.admit('10.0.0.2'), 'server full: out of file descriptors for 2 connections', 'the lingering socket counts');
    told.emit('close', false);
    assert.equal(gate.admit('10.0.0.2'), null, 'its descriptor is free once it closed');
  });
});
