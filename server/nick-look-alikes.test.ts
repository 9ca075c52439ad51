import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerEvent } from '../shared/events.js';
import { type ServerProcess, startServerProcess } from './test-support/server-process.js';
import { FramedClient, LineClient, seedDecode } from './test-support/test-clients.js';
import { WsTestClient } from './test-support/ws-client.js';

/** One way of asking for a nickname and reading the answer, per transport. */
interface Asker {
  readonly transport: string;
  /** Sends `/nick NAME`; resolves with the text of the error notice that refuses it. */
  refusal(name: string): Promise<string>;
  close(): Promise<void>;
}

function tcpAsker(transport: string, client: FramedClient | LineClient): Asker {
  return {
    transport,
    async refusal(name) {
      client.send(`/nick ${name}`);
      return seedDecode(await client.waitFor('nickname refused'));
    },
    close: () => client.close(),
  };
}

function isRefusal(event: ServerEvent): boolean {
  return event.type === 'notice' && event.kind === 'error' && event.text.startsWith('nickname refused');
}

function wsAsker(client: WsTestClient): Asker {
  return {
    transport: 'ws',
    async refusal(name) {
      client.say(`/nick ${name}`);
      const event = await client.waitFor(isRefusal);
      return event.type === 'notice' ? `*** ${event.text} [${event.code ?? ''}]` : '';
    },
    close: () => client.close(),
  };
}

describe('look-alike nicknames are refused while the real one is present (issue 18, item 4)', () => {
  let server: ServerProcess;
  let alice: FramedClient;
  let askers: Asker[];
  before(async () => {
    server = await startServerProcess(undefined, ['--log-level', 'warn']);
    alice = await FramedClient.connect(server.ports.tcp);
    alice.send('/nick alice');
    await alice.waitFor('is now known as alice');
    const port = new URL(server.url).port;
    askers = [
      tcpAsker('framed', await FramedClient.connect(server.ports.tcp)),
      tcpAsker('line', await LineClient.connect(server.ports.line)),
      wsAsker(await WsTestClient.connect(Number(port))),
    ];
  });
  after(async () => {
    for (const asker of askers) await asker.close();
    await alice.close();
    await server.stop();
  });

  for (const transport of ['framed', 'line', 'ws']) {
    it(`${transport}: аlice (Cyrillic а) is refused, and so are the other disguises of alice and of an address`, async () => {
      const asker = askers.find((candidate) => candidate.transport === transport)!;
      assert.match(await asker.refusal('\u0430lice'), /^\*\*\* nickname refused: a nickname keeps to one script: it mixes Cyrillic and Latin letters/);
      for (const name of ['\u0251lice', 'AL\u0130CE', 'al\u0131ce', 'ＡＬＩＣＥ', 'aIice']) {
        assert.match(await asker.refusal(name), /^\*\*\* nickname refused: \S+ is taken/, name);
      }
      assert.match(await asker.refusal('ali\u200bce'), /invisible, control or formatting characters \(U\+200B\)/);
      assert.match(await asker.refusal('\u202eecila\u202c'), /\(U\+202E\)/);
      assert.match(await asker.refusal(`127.0.0.1\uff1a${alice.socket.localPort}`), /no colon or look-alike/);
      assert.match(await asker.refusal('\u2217'), /no asterisk or look-alike/);
      assert.ok(!alice.received.some((payload) => payload.includes('is now known as') && !payload.endsWith('is now known as alice')), 'nobody was renamed');
    });
  }

  it('a nickname is shown as asked, width-mapped and NFC', async () => {
    const bob = await FramedClient.connect(server.ports.tcp);
    bob.send('/nick ＢＯＢ');
    assert.match(seedDecode(await bob.waitFor('is now known as')), /is now known as BOB$/);
    bob.send('/nick Zoe\u0308');
    assert.match(seedDecode(await bob.waitFor('is now known as Zo')), /is now known as Zo\u00eb$/);
    await bob.close();
  });
});
