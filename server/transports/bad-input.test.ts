import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from '../test-support/test-clients.js';

/** The bystanders still chat both ways after the offender was dealt with. */
async function assertStillChatting(a: FramedClient, b: LineClient, tag: string): Promise<void> {
  a.send(`a-${tag}`);
  await b.waitFor(`a-${tag}`);
  b.send(`b-${tag}`);
  await a.waitFor(`b-${tag}`);
}

describe('bad input closes only the offending connection', () => {
  let server: RunningSwitchboard;
  let a: FramedClient;
  let b: LineClient;
  before(async () => {
    server = await startTestServer({ maxPayload: 1024 });
    a = await FramedClient.connect(server.ports.tcp);
    b = await LineClient.connect(server.ports.line);
  });
  after(async () => {
    await a.close();
    await b.close();
    await server.close();
  });

  it('oversize header ff ff ff ff: error notice, then close', async () => {
    const bad = await FramedClient.connect(server.ports.tcp);
    bad.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    const notice = await bad.waitFor('error:');
    assert.equal(seedDecode(notice), '*** error: frame of 4294967295 bytes exceeds the maximum of 1024 bytes; closing connection');
    await bad.closed;
    await a.waitFor(/left \(SB_ERR_FRAME_TOO_LARGE\)/);
    await assertStillChatting(a, b, 'oversize');
  });

  it('a frame one byte over --max-payload is refused', async () => {
    const bad = await FramedClient.connect(server.ports.tcp);
    bad.sendPayload('x'.repeat(1025));
    await bad.waitFor('exceeds the maximum');
    await bad.closed;
    await assertStillChatting(a, b, 'over-by-one');
  });

  it('invalid UTF-8 in a frame: error notice, then close; earlier frames were delivered', async () => {
    const bad = await FramedClient.connect(server.ports.tcp);
    bad.send('fine before');
    bad.writeRaw(Buffer.from([0, 0, 0, 2, 0xc3, 0x28]));
    assert.match(await bad.waitFor('error:'), /not valid UTF-8/);
    await bad.closed;
    await a.waitFor('fine before');
    await assertStillChatting(a, b, 'utf8');
  });

  it('invalid UTF-8 on the line port: error line, then close', async () => {
    const bad = await LineClient.connect(server.ports.line);
    bad.writeRaw(Buffer.from([0xff, 0xfe, 0x0a]));
    assert.match(await bad.waitFor('error:'), /not valid UTF-8/);
    await bad.closed;
    await assertStillChatting(a, b, 'line-utf8');
  });

  it('a line longer than the maximum: error line, then close', async () => {
    const bad = await LineClient.connect(server.ports.line);
    bad.writeRaw('y'.repeat(5000));
    assert.match(await bad.waitFor('error:'), /line exceeds the maximum of 1024 bytes/);
    await bad.closed;
    await assertStillChatting(a, b, 'long-line');
  });

  it('a truncated frame then close costs nothing and announces the leave', async () => {
    const bad = await FramedClient.connect(server.ports.tcp);
    bad.writeRaw(Buffer.from([0, 0, 0, 50, 0x61, 0x62]));
    await bad.close();
    await assertStillChatting(a, b, 'truncated');
    assert.ok(!a.received.some((p) => p.endsWith(' ab')), 'a partial frame was delivered');
  });

  it('control characters are stripped, not delivered', async () => {
    const sender = await FramedClient.connect(server.ports.tcp);
    sender.send('red\u001b[31m alert\u0007\u0000!');
    assert.ok((await a.waitFor('alert')).endsWith(' red[31m alert!'));
    await sender.close();
  });
});
