import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';

describe('line TCP port', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('carries messages line → framed and framed → line', async () => {
    const line = await LineClient.connect(server.ports.line);
    const framed = await FramedClient.connect(server.ports.tcp);
    line.send('/nick nc');
    await framed.waitFor('known as nc');
    line.socket.write('from netcat\r\n');
    assert.equal(seedDecode(await framed.waitFor('from netcat')), 'nc from netcat');
    framed.send('/nick fr');
    await line.waitFor('known as fr');
    framed.send('from framed');
    const got = await line.waitFor('from framed');
    assert.match(got, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} fr from framed$/);
    await line.close();
    await framed.close();
  });

  it('shows newlines inside a message as ␤ so each message stays one line', async () => {
    const line = await LineClient.connect(server.ports.line);
    const framed = await FramedClient.connect(server.ports.tcp);
    framed.send('one\ntwo\r\nthree');
    const got = await line.waitFor('one');
    assert.ok(got.endsWith(' one␤two␤three'), got);
    framed.send('next');
    await line.waitFor('next');
    await line.close();
    await framed.close();
  });

  it('takes a final line without newline when the client closes (printf hi | nc)', async () => {
    const framed = await FramedClient.connect(server.ports.tcp);
    const line = await LineClient.connect(server.ports.line);
    line.socket.end('last words');
    await framed.waitFor('last words');
    await framed.close();
  });

  it('keeps a timestamp-looking line as typed', async () => {
    const line = await LineClient.connect(server.ports.line);
    const framed = await FramedClient.connect(server.ports.tcp);
    line.send('2024-01-01 10:00:00 was new year');
    assert.ok((await framed.waitFor('new year')).endsWith(' 2024-01-01 10:00:00 was new year'));
    await line.close();
    await framed.close();
  });
});
