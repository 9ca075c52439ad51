import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from './switchboard.js';
import { FramedClient, LineClient, seedDecode, startTestServer } from './test-support/test-clients.js';

const CLIENTS = 200;
const MESSAGES = 10;

describe('fan-out under load', () => {
  let server: RunningSwitchboard;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it(`${CLIENTS} clients × ${MESSAGES} messages: nothing lost, each sender's order kept`, async () => {
    const clients: (FramedClient | LineClient)[] = [];
    for (let i = 0; i < CLIENTS; i += 1) {
      clients.push(i % 4 === 3 ? await LineClient.connect(server.ports.line) : await FramedClient.connect(server.ports.tcp));
    }
    // Everyone names itself c<i> so the sender token is predictable.
    clients.forEach((client, i) => client.send(`/nick c${i}`));
    await Promise.all(clients.map((client, i) => client.waitFor(`known as c${i}`, 20_000)));
    const last = `c${CLIENTS - 1}`;
    await Promise.all(clients.slice(0, -1).map((client) => client.waitFor(`known as ${last}`, 20_000)));

    for (let m = 0; m < MESSAGES; m += 1) {
      clients.forEach((client, i) => client.send(`msg ${i} ${m}`));
    }
    const expectedEach = (CLIENTS - 1) * MESSAGES;
    const deadline = Date.now() + 60_000;
    const counts = () => clients.map((client) => client.chat().length);
    while (counts().some((n) => n < expectedEach) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    clients.forEach((client, receiverIndex) => {
      const chat = client.chat().map(seedDecode);
      assert.equal(chat.length, expectedEach, `receiver ${receiverIndex} got ${chat.length}`);
      const nextFromSender = new Map<string, number>();
      for (const entry of chat) {
        const [sender, word, index, seq] = entry.split(' ');
        assert.equal(word, 'msg');
        assert.equal(sender, `c${index}`);
        assert.notEqual(Number(index), receiverIndex, 'echoed to sender');
        const expected = nextFromSender.get(sender!) ?? 0;
        assert.equal(Number(seq), expected, `receiver ${receiverIndex}: ${sender} out of order`);
        nextFromSender.set(sender!, expected + 1);
      }
    });
    await Promise.all(clients.map((client) => client.close()));
  });
});
