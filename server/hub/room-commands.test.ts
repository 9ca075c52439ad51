import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';

describe('room commands and presence', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('announces joins and leaves to the others as *** notices', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await LineClient.connect(server.ports.line);
    const bName = `127.0.0.1:${b.socket.localPort}`;
    assert.equal(seedDecode(await a.waitFor('joined')), `*** ${bName} joined (line)`);
    await b.close();
    assert.equal(seedDecode(await a.waitFor('left')), `*** ${bName} left`);
    await a.close();
  });

  it('/nick renames the sender token and announces it; messages then carry the nickname', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await FramedClient.connect(server.ports.tcp);
    const aName = `127.0.0.1:${a.socket.localPort}`;
    a.send('/nick Alice');
    assert.equal(seedDecode(await b.waitFor('known as')), `*** ${aName} is now known as Alice`);
    await a.waitFor('known as Alice');
    a.send('hello');
    assert.equal(seedDecode(await b.waitFor('hello')), 'Alice hello');
    await a.close();
    await b.close();
  });

  it('refuses a nickname collision (case-insensitive) to the asker only', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await FramedClient.connect(server.ports.tcp);
    a.send('/nick bob');
    await b.waitFor('known as bob');
    b.send('/nick BOB');
    assert.equal(seedDecode(await b.waitFor('refused')), '*** nickname refused: BOB is taken');
    b.send('/nick has space');
    assert.match(await b.waitFor('refused'), /no spaces/);
    b.send('/nick *');
    assert.match(await b.waitFor('refused'), /asterisk/);
    a.send('ping');
    await b.waitFor('ping');
    assert.ok(!a.received.some((p) => p.includes('refused')), 'refusal leaked to another member');
    // The freed name can be taken after bob leaves.
    await a.close();
    b.send('/nick bob');
    await b.waitFor('is now known as bob');
    await b.close();
  });

  it('/me sends an action, /who lists members with transports, /help and unknown commands reply to the asker', async () => {
    const a = await FramedClient.connect(server.ports.tcp);
    const b = await LineClient.connect(server.ports.line);
    a.send('/nick ann');
    b.send('/nick ben');
    await a.waitFor('known as ben');
    a.send('/me waves');
    assert.equal(seedDecode(await b.waitFor('waves')), '* ann waves');
    b.send('/who');
    assert.equal(seedDecode(await b.waitFor('members')), '*** members of #lobby (2): ann (tcp), ben (line)');
    b.send('/help');
    assert.match(await b.waitFor('commands:'), /\/nick NAME/);
    b.send('/frobnicate');
    assert.match(await b.waitFor('unknown command'), /unknown command \/frobnicate/);
    b.send('//etc is a folder');
    assert.equal(seedDecode(await a.waitFor('etc is')), 'ben /etc is a folder');
    a.send('sync');
    await b.waitFor('sync');
    for (const reply of ['members (', 'commands:', 'unknown command']) {
      assert.ok(!a.received.some((p) => p.includes(reply)), `${reply} leaked to another member`);
    }
    await a.close();
    await b.close();
  });
});
