import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSwitchboard } from '../../server/switchboard.js';
import { startTestServer } from '../../server/test-support/test-clients.js';
import { until } from '../../server/test-support/until.js';
import { formatMarker } from '../marker.js';
import type { ReceiveSink } from './bench-client.js';
import { FramedClient } from './framed-client.js';
import { LineClient } from './line-client.js';
import type { TcpBenchClient } from './tcp-client-base.js';

/** What one bench client told its sink: bench texts and refusals, as strings. */
class RecordingSink implements ReceiveSink {
  readonly markers: string[] = [];
  readonly errors: string[] = [];

  onMarker(_receiver: number, text: string): void {
    this.markers.push(text);
  }

  onMarkerBytes(_receiver: number, buf: Uint8Array, start: number, end: number): void {
    this.markers.push(Buffer.from(buf.subarray(start, end)).toString('latin1'));
  }

  onServerError(_receiver: number, text: string): void {
    this.errors.push(text);
  }
}

const KINDS = [
  ['framed', FramedClient.connect],
  ['line', LineClient.connect],
] as const;

for (const [name, connect] of KINDS) {
  describe(`bench ${name} client reads today's text forms`, () => {
    let server: RunningSwitchboard;
    const open: TcpBenchClient[] = [];
    const port = () => (name === 'framed' ? server.ports.tcp : server.ports.line);
    before(async () => {
      server = await startTestServer({ rateLimit: 2, rateBurst: 4 });
    });
    after(async () => {
      await Promise.all(open.map((client) => client.close()));
      await server.close();
    });

    it('counts chat in the current room and in another room, and not the `***` presence notices', async () => {
      const senderSink = new RecordingSink();
      const readerSink = new RecordingSink();
      const sender = await connect(0, port(), senderSink);
      open.push(sender);
      const reader = await connect(1, port(), readerSink);
      open.push(reader);
      // The reader joins #side (its current room now) and stays in #lobby, where the sender talks:
      // lobby lines then reach it as `[#lobby] NAME: TEXT`.
      await reader.command('/join #side', 'you joined #side');
      const inLobby = formatMarker(7, 0, 0, 123);
      sender.send(inLobby);
      await until(() => readerSink.markers.length === 1, 'the reader got the lobby line', 5000);
      assert.equal(readerSink.markers[0], inLobby);
      // Back in #lobby as the current room: plain `NAME TEXT`.
      await reader.command('/join #lobby', 'you are in #lobby');
      const current = formatMarker(7, 0, 1, 456);
      sender.send(current);
      await until(() => readerSink.markers.length === 2, 'the reader got the second line', 5000);
      assert.deepEqual(readerSink.markers, [inLobby, current]);
      assert.deepEqual(readerSink.errors, [], 'joins and room switches are no refusals');
      assert.deepEqual(senderSink.markers, [], 'a TCP sender gets no echo');
    });

    it('enterRoom leaves the start room: lines there no longer arrive, lines in the new room do', async () => {
      const connectWith = async (index: number, sink: RecordingSink) => {
        const client = await connect(index, port(), sink);
        open.push(client);
        return client;
      };
      const lobbySender = await connectWith(3, new RecordingSink());
      const witnessSink = new RecordingSink();
      await connectWith(4, witnessSink);
      const benchSender = await connectWith(5, new RecordingSink());
      await benchSender.enterRoom('#bench-1');
      const readerSink = new RecordingSink();
      const reader = await connectWith(6, readerSink);
      await reader.enterRoom('#bench-1');
      readerSink.markers.length = 0; // the lobby's replay on connecting
      witnessSink.markers.length = 0;
      const lobbyLine = formatMarker(9, 0, 0, 1);
      lobbySender.send(lobbyLine);
      // Once a lobby member has it, the server has queued it for every lobby member: had the
      // reader still been one, it would get it before anything said after.
      await until(() => witnessSink.markers.includes(lobbyLine), 'the lobby witness got the lobby line', 5000);
      const benchLine = formatMarker(9, 1, 0, 2);
      benchSender.send(benchLine);
      await until(() => readerSink.markers.length > 0, 'the #bench-1 line arrived', 5000);
      assert.deepEqual(readerSink.markers, [benchLine]);
    });

    it('reports the flood limit\'s `*** slow down` notice as a refusal', async () => {
      const sink = new RecordingSink();
      const client = await connect(2, port(), sink);
      open.push(client);
      for (let i = 0; i < 8; i += 1) client.send(formatMarker(8, 0, i, 0));
      await until(() => sink.errors.length > 0, 'the slow-down notice arrived', 5000);
      assert.match(sink.errors[0]!, /^slow down/);
    });
  });
}
