/**
 * Seeded fuzzing of every way in: ~10,000 fast-check cases of random and half-valid input on the
 * framed port, the line port and the WebSocket, played by several lanes at once against one server
 * while two bystanders (framed + WebSocket) stay connected throughout.
 *
 * Each lane keeps one connection for as many cases as the server lets it live. A model of the
 * server's decoder (the shared FrameDecoder / LineDecoder, fed the same bytes in other chunks;
 * ws's limits for the WebSocket) says after each case whether the server must close the
 * connection; if not, the lane pads the stream back to a message boundary and sends a probe
 * command whose private reply proves the server processed the case and kept the connection.
 *
 * Oracles: the server closes exactly when the model refuses (with an error notice on TCP, close
 * code 1009/1007 on the WebSocket) and answers the probe otherwise; every bad WebSocket event gets
 * exactly one `error` event; no SB_ERR_INTERNAL; bystanders chat both ways every 1000 cases and at
 * the end; once the fuzz connections are closed, only the bystanders hold members and gate slots.
 *
 * Replay: SWITCHBOARD_FUZZ_SEED=<seed> (default below). Each lane runs fast-check with a seed derived
 * from it; a failure names the base seed, the lane, and fast-check's own seed, path and counterexample.
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseClientEvent } from '../shared/client-event.js';
import { FrameDecoder } from '../shared/frame-decoder.js';
import { encodeFrame, encodeFrameHeader } from '../shared/frame-encoder.js';
import { LineDecoder } from '../shared/line-decoder.js';
import type { RunningSwitchboard } from './switchboard.js';
import { FramedClient, LineClient, startTestServer } from './test-support/test-clients.js';
import { WsTestClient } from './test-support/ws-client.js';

const DEFAULT_SEED = 20_240_611;
const MAX_PAYLOAD = 4096;
const CHECKPOINT_EVERY = 1000;
/** Lanes per transport × cases per lane: 4,000 framed, 3,000 line, 3,000 WebSocket. */
const LANES = { tcp: 4, line: 3, ws: 3 } as const;
const CASES_PER_LANE = 1000;
const REPLY_TIMEOUT_MS = 5000;

function fuzzSeed(): number {
  const raw = process.env['SWITCHBOARD_FUZZ_SEED'];
  if (raw === undefined || raw.trim() === '') return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`SWITCHBOARD_FUZZ_SEED must be an integer, got "${raw}"`);
  return seed | 0;
}

const SEED = fuzzSeed();

/** Lane k's fast-check seed: spread out, so seeds s and s + 1 share no lane. */
function laneSeed(lane: number): number {
  return (SEED ^ Math.imul(lane + 1, 0x9e37_79b1)) | 0;
}

const utf8 = new TextEncoder();

/** The bytes cut at the given points (taken modulo the length), for several writes. */
function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) out.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return out;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The reply, or a failure saying what the server last sent if it closes the connection first. */
function replyUnlessClosed<T>(reply: Promise<T>, closed: Promise<unknown>, what: string, lastWords: () => unknown): Promise<T> {
  const closedFirst = closed.then((how) => {
    throw new Error(`the server closed a connection the model says is healthy before ${what}: ${JSON.stringify(how)}, last received ${JSON.stringify(lastWords())}`);
  });
  closedFirst.catch(() => undefined);
  reply.catch(() => undefined);
  return Promise.race([reply, closedFirst]);
}

// ---- input generators -------------------------------------------------------------------------

const SOUP = ['\r', '\n', '\r\n', '\t', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u009b', '\u2028', '\u2424', '\ufeff', ' ', 'a', 'é', '🦊'];
const COMMANDS = ['/nick ', '/NICK ', '/nick\t', '/me ', '/who', '/help', '//', '/', '/unknown ', ' /nick '];
/** Nicknames the lanes fight over: case and width variants of one name, reserved and invalid ones. */
const NICKS = ['alice', 'Alice', 'ＡＬＩＣＥ', 'bob', '*', 'a:b', 'é', 'e\u0301', 'x'.repeat(32), 'x'.repeat(33), '127.0.0.1:1'];
const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];

/** What a person or a broken client might type: any unicode, commands, control characters. */
const chatText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...SOUP), maxLength: 40 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...COMMANDS), fc.string({ unit: 'binary', maxLength: 40 })).map(([command, rest]) => command + rest) },
  { weight: 1, arbitrary: fc.constantFrom(...NICKS).map((nick) => `/nick ${nick}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((text) => `2024-10-03 14:22:01.123456 ${text}`) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 6 }) },
);

const framedPiece: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 12, arbitrary: chatText.map((text) => encodeFrame(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((body) => Buffer.concat([encodeFrameHeader(body.length), body])) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array(4)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 64 }), fc.uint8Array({ maxLength: 80 })).map(([n, bytes]) => Buffer.concat([encodeFrameHeader(n), bytes])) },
  { weight: 1, arbitrary: fc.tuple(chatText, fc.nat()).map(([text, cut]) => { const frame = encodeFrame(text); return frame.subarray(0, cut % (frame.length + 1)); }) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_PAYLOAD - 64, max: MAX_PAYLOAD + 64 }).map((n) => encodeFrame('z'.repeat(n))) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_PAYLOAD + 1, max: 0xffff_ffff }).map((n) => encodeFrameHeader(n)) },
);

const linePiece: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(chatText, fc.constantFrom('\n', '\r\n', '\r', '', '\n\r', '\r\r\n', '\n\n')).map(([text, end]) => utf8.encode(text + end)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.boolean()).map(([bad, lf]) => Uint8Array.from(lf ? [...bad, 0x0a] : bad)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: MAX_PAYLOAD - 8, max: MAX_PAYLOAD + 8 }), fc.constantFrom('\n', '\r\n', '')).map(([n, end]) => utf8.encode('x'.repeat(n) + end)) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_PAYLOAD + 2, max: 3 * MAX_PAYLOAD }).map((n) => utf8.encode('y'.repeat(n))) },
);

type Finish = 'keep' | 'end' | 'destroy';
const finish: fc.Arbitrary<Finish> = fc.oneof(
  { weight: 16, arbitrary: fc.constant<Finish>('keep') },
  { weight: 2, arbitrary: fc.constant<Finish>('end') },
  { weight: 1, arbitrary: fc.constant<Finish>('destroy') },
);

interface StreamCase {
  pieces: Uint8Array[];
  /** Where the concatenated pieces are cut into separate writes. */
  cuts: number[];
  finish: Finish;
}

function streamCase(piece: fc.Arbitrary<Uint8Array>): fc.Arbitrary<StreamCase> {
  return fc.record({ pieces: fc.array(piece, { minLength: 1, maxLength: 3 }), cuts: fc.array(fc.nat(), { maxLength: 3 }), finish });
}

interface WsMessage {
  bytes: Uint8Array;
  binary: boolean;
  /** Fragment boundaries (continuation frames). */
  cuts: number[];
}

const ODD_JSON = [
  'null', '[]', '{}', '"send"', '0', '1e999', '{"type":"send"}', '{"type":"send","text":null}', '{"type":"SEND","text":"x"}',
  '{"type":"send","text":"a","type":"who"}', '{"__proto__":{"type":"send","text":"x"}}', '{"type":"constructor"}',
  '{"type":"toString"}', '{"type":"send","text":"\\ud800"}', '{"type":"send","text":"x"} trailing', '\ufeff{"type":"who"}',
  ' {"type" : "who"} ', '{"type":"send","text":"x","extra":[1,{"y":null}]}', '',
];

const wsJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: chatText.map((text) => JSON.stringify({ type: 'send', text })) },
  { weight: 1, arbitrary: fc.constant('{"type":"who"}') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((text) => JSON.stringify({ type: 'send', text })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((type) => JSON.stringify({ type, text: 'x' })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: MAX_PAYLOAD / 2 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: Math.floor(MAX_PAYLOAD / 6) }).map((depth) => `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_JSON) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_PAYLOAD - 40, max: MAX_PAYLOAD + 40 }).map((n) => JSON.stringify({ type: 'send', text: 'x'.repeat(n) })) },
);

const wsMessage: fc.Arbitrary<WsMessage> = fc.record({
  bytes: fc.oneof({ weight: 12, arbitrary: wsJsonText.map((text) => utf8.encode(text)) }, { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) }),
  binary: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  cuts: fc.oneof({ weight: 4, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }),
});

interface WsCase {
  messages: WsMessage[];
  finish: Finish;
}

const wsCase: fc.Arbitrary<WsCase> = fc.record({ messages: fc.array(wsMessage, { minLength: 1, maxLength: 2 }), finish });

// ---- models of the server's decoding ----------------------------------------------------------

function ignore(): void {}

/**
 * The server's own decoder fed the same bytes as one chunk per case (the server gets them in other
 * chunks): says when the server must close the connection, and how to get back to a boundary.
 */
class StreamModel {
  refused = false;

  constructor(
    private readonly decoder: FrameDecoder | LineDecoder,
    private readonly atBoundary: () => boolean,
    /** NUL completes a frame body and then headers (length 0 = keepalive); LF ends a line. */
    private readonly padByte: number,
  ) {}

  static framed(): StreamModel {
    const decoder = new FrameDecoder(ignore, { maxPayload: MAX_PAYLOAD });
    return new StreamModel(decoder, () => decoder.state === 'header' && decoder.pendingBytes === 0, 0x00);
  }

  static line(): StreamModel {
    const decoder = new LineDecoder(ignore, { maxLine: MAX_PAYLOAD });
    return new StreamModel(decoder, () => decoder.pendingBytes === 0, 0x0a);
  }

  /** False once the decoder refuses the stream. */
  feed(bytes: Uint8Array): boolean {
    if (this.refused) return false;
    try {
      this.decoder.push(bytes);
    } catch {
      this.refused = true;
    }
    return !this.refused;
  }

  /** Pad bytes, fed one at a time, until a message boundary; they may make the decoder refuse. */
  padding(): Uint8Array {
    const pad = Uint8Array.of(this.padByte);
    let count = 0;
    while (!this.refused && !this.atBoundary()) {
      this.feed(pad);
      count += 1;
    }
    return new Uint8Array(count).fill(this.padByte);
  }
}

type WsVerdict = 'accepted' | 'error-event' | 1009 | 1007;

/** ws checks the size first (1009), then UTF-8 of a whole text message (1007, with the same
 * buffer.isUtf8); then the gateway parses the event. */
function wsVerdict(message: WsMessage): WsVerdict {
  if (message.bytes.length > MAX_PAYLOAD) return 1009;
  if (message.binary) return 'error-event';
  if (!isUtf8(message.bytes)) return 1007;
  try {
    parseClientEvent(Buffer.from(message.bytes).toString('utf8'));
    return 'accepted';
  } catch {
    return 'error-event';
  }
}

// ---- lanes: one connection at a time, reused until the server closes it ----------------------

type Outcome = 'probed' | 'closedByServer' | 'ended' | 'destroyed';

interface Lane<Case> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<Case>;
  readonly outcomes: Record<Outcome, number>;
  connections: number;
  /** Plays one case on the lane's connection; throws when an oracle fails. */
  play(input: Case): Promise<void>;
  /** Closes the lane's connection, if any: gracefully at the end, at once after a failure. */
  reset(graceful: boolean): Promise<void>;
}

function noOutcomes(): Record<Outcome, number> {
  return { probed: 0, closedByServer: 0, ended: 0, destroyed: 0 };
}

const ERROR_NOTICE = / \*\*\* error: (.+); closing connection$/;

interface TcpFlavour {
  connect(): Promise<FramedClient | LineClient>;
  model(): StreamModel;
  /** The probe command in the transport's form. */
  encode(text: string): Uint8Array;
}

class TcpLane implements Lane<StreamCase> {
  readonly outcomes = noOutcomes();
  connections = 0;
  private client: FramedClient | LineClient | null = null;
  private model: StreamModel | null = null;
  private probes = 0;

  constructor(
    readonly name: string,
    readonly arbitrary: fc.Arbitrary<StreamCase>,
    private readonly flavour: TcpFlavour,
  ) {}

  async play(input: StreamCase): Promise<void> {
    const client = await this.connection();
    const model = this.model!;
    const bytes = Buffer.concat(input.pieces);
    for (const chunk of splitAt(bytes, input.cuts)) client.writeRaw(chunk);
    if (model.feed(bytes) && input.finish !== 'keep') {
      await this.drop(input.finish === 'end');
      return;
    }
    const padding = model.padding();
    if (padding.length > 0) client.writeRaw(padding);
    if (model.refused) {
      this.client = null;
      await within(client.closed, REPLY_TIMEOUT_MS, `${this.name}: the server did not close a connection whose input its decoder refuses`);
      const why = client.received.map((payload) => ERROR_NOTICE.exec(payload)?.[1]).find((reason) => reason !== undefined);
      assert.ok(why !== undefined && !why.includes('internal'), `${this.name}: closed without a decoder error notice; got ${JSON.stringify(client.received.slice(-3))}`);
      this.outcomes.closedByServer += 1;
      return;
    }
    const tag = `/sync-${this.name}-${++this.probes}`;
    client.writeRaw(this.flavour.encode(tag));
    const lastWords = () => client.received.slice(-3);
    await replyUnlessClosed(client.waitFor(`unknown command ${tag};`, REPLY_TIMEOUT_MS), client.closed, `the reply to ${tag}`, lastWords);
    this.outcomes.probed += 1;
  }

  async reset(graceful: boolean): Promise<void> {
    if (this.client !== null) await this.drop(graceful);
  }

  private async connection(): Promise<FramedClient | LineClient> {
    if (this.client === null) {
      this.client = await this.flavour.connect();
      this.client.socket.setNoDelay(true);
      this.model = this.flavour.model();
      this.connections += 1;
    }
    return this.client;
  }

  /** end(): the server has seen everything before it once the close completes; destroy(): maybe not. */
  private async drop(graceful: boolean): Promise<void> {
    const client = this.client!;
    this.client = null;
    if (graceful) client.socket.end();
    else client.socket.destroy();
    await within(client.closed, REPLY_TIMEOUT_MS, `${this.name}: closing a fuzz connection`);
    this.outcomes[graceful ? 'ended' : 'destroyed'] += 1;
  }
}

class WsLane implements Lane<WsCase> {
  readonly arbitrary = wsCase;
  readonly outcomes = noOutcomes();
  connections = 0;
  private client: WsTestClient | null = null;
  private probes = 0;

  constructor(
    readonly name: string,
    private readonly httpPort: number,
  ) {}

  async play(input: WsCase): Promise<void> {
    const client = await this.connection();
    const start = client.events.length;
    let errorEvents = 0;
    for (const message of input.messages) {
      const parts = splitAt(message.bytes, message.cuts);
      if (parts.length === 0) parts.push(new Uint8Array(0));
      parts.forEach((part, i) => client.socket.send(part, { binary: message.binary, fin: i === parts.length - 1 }));
      const verdict = wsVerdict(message);
      if (verdict === 1009 || verdict === 1007) {
        this.client = null;
        const { code } = await within(client.closed, REPLY_TIMEOUT_MS, `${this.name}: the server did not close after a message ws must refuse (${verdict})`);
        assert.equal(code, verdict, `${this.name}: close code`);
        this.outcomes.closedByServer += 1;
        return;
      }
      if (verdict === 'error-event') errorEvents += 1;
    }
    if (input.finish !== 'keep') {
      await this.drop(input.finish === 'end');
      return;
    }
    const tag = `/sync-${this.name}-${++this.probes}`;
    client.say(tag);
    const reply = await replyUnlessClosed(
      client.waitFor((event) => event.type === 'notice' && event.text.startsWith(`unknown command ${tag};`), REPLY_TIMEOUT_MS),
      client.closed,
      `the reply to ${tag}`,
      () => client.events.slice(-3),
    );
    const errors = client.events.slice(start, client.events.indexOf(reply, start)).filter((event) => event.type === 'error');
    assert.equal(errors.length, errorEvents, `${this.name}: one error event per refused message; got ${JSON.stringify(errors)}`);
    this.outcomes.probed += 1;
  }

  async reset(graceful: boolean): Promise<void> {
    if (this.client !== null) await this.drop(graceful);
  }

  private async connection(): Promise<WsTestClient> {
    if (this.client === null) {
      this.client = await WsTestClient.connect(this.httpPort);
      this.connections += 1;
    }
    return this.client;
  }

  private async drop(graceful: boolean): Promise<void> {
    const client = this.client!;
    this.client = null;
    if (graceful) client.socket.close();
    else client.socket.terminate();
    await within(client.closed, REPLY_TIMEOUT_MS, `${this.name}: closing a fuzz connection`);
    this.outcomes[graceful ? 'ended' : 'destroyed'] += 1;
  }
}

// ---- the run ------------------------------------------------------------------------------------

describe(`fuzzing every transport (seed ${SEED}; replay with SWITCHBOARD_FUZZ_SEED=${SEED})`, () => {
  let server: RunningSwitchboard;
  let framedBystander: FramedClient;
  let wsBystander: WsTestClient;
  let checks = 0;
  let checkChain: Promise<void> = Promise.resolve();
  const checkpointProblems: string[] = [];

  async function bystandersChat(label: string): Promise<void> {
    checks += 1;
    const there = `bystander-check-${checks}-${label}-tcp-to-ws`;
    framedBystander.send(there);
    await wsBystander.waitForText(there, 10_000);
    const back = `bystander-check-${checks}-${label}-ws-to-tcp`;
    wsBystander.say(back);
    await framedBystander.waitFor(back, 10_000);
  }

  /**
   * Bystanders chat both ways and no internal error was counted. A problem is recorded, not thrown
   * into the lane that happened to reach the checkpoint (fast-check would blame, and shrink, that
   * lane's case). Serialised, so two checks' waits never interleave; skipped after a problem.
   */
  function checkpoint(label: string): Promise<void> {
    checkChain = checkChain.then(async () => {
      if (checkpointProblems.length > 0) return;
      try {
        await bystandersChat(label);
        const internal = server.stats.errors.get('SB_ERR_INTERNAL');
        if (internal !== undefined) checkpointProblems.push(`${label}: SB_ERR_INTERNAL counted ${internal} time(s)`);
      } catch (error) {
        checkpointProblems.push(`${label}: bystanders no longer chat: ${(error as Error).message}`);
      }
    });
    return checkChain;
  }

  before(async () => {
    // History off: every reconnecting lane would otherwise wait for a paced replay first.
    server = await startTestServer({ rateLimit: 0, maxConnectionsPerIp: 0, maxPayload: MAX_PAYLOAD, history: 0 });
    framedBystander = await FramedClient.connect(server.ports.tcp);
    wsBystander = await WsTestClient.connect(server.ports.http);
  });
  after(async () => {
    await server.close();
  });

  it('survives ~10,000 random inputs; bystanders unharmed, no internal error, no leaked slot', { timeout: 180_000 }, async (t) => {
    const framedLanes = Array.from({ length: LANES.tcp }, (_, i) => new TcpLane(`tcp${i + 1}`, streamCase(framedPiece), {
      connect: () => FramedClient.connect(server.ports.tcp),
      model: StreamModel.framed,
      encode: (text) => encodeFrame(text),
    }));
    const lineLanes = Array.from({ length: LANES.line }, (_, i) => new TcpLane(`line${i + 1}`, streamCase(linePiece), {
      connect: () => LineClient.connect(server.ports.line),
      model: StreamModel.line,
      encode: (text) => utf8.encode(`${text}\n`),
    }));
    const wsLanes = Array.from({ length: LANES.ws }, (_, i) => new WsLane(`ws${i + 1}`, server.ports.http));
    const lanes = [...framedLanes, ...lineLanes, ...wsLanes];

    let played = 0;
    const started = Date.now();
    /** One fast-check run per lane; all lanes at once. */
    async function runLane<Case>(lane: Lane<Case>, index: number): Promise<void> {
      const seed = laneSeed(index);
      const property = fc.asyncProperty(lane.arbitrary, async (input) => {
        try {
          await lane.play(input);
        } catch (error) {
          await lane.reset(false).catch(() => undefined);
          throw error;
        }
        played += 1;
        if (played % CHECKPOINT_EVERY === 0) await checkpoint(`after ${played} cases`);
      });
      try {
        await fc.assert(property, { seed, numRuns: CASES_PER_LANE, includeErrorInReport: true });
      } catch (error) {
        throw new Error(`fuzz lane ${lane.name} failed; replay with SWITCHBOARD_FUZZ_SEED=${SEED} (lane seed ${seed})\n${(error as Error).message}`, { cause: error });
      }
    }
    const runs = [
      ...framedLanes.map((lane, i) => runLane(lane, i)),
      ...lineLanes.map((lane, i) => runLane(lane, LANES.tcp + i)),
      ...wsLanes.map((lane, i) => runLane(lane, LANES.tcp + LANES.line + i)),
    ];
    const results = await Promise.allSettled(runs);
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
    if (failures.length > 0) assert.fail(failures.map((failure) => failure.message).join('\n\n'));
    await checkChain;
    assert.deepEqual(checkpointProblems, [], `checkpoints failed; replay with SWITCHBOARD_FUZZ_SEED=${SEED}`);

    await Promise.all(lanes.map((lane) => lane.reset(true)));
    const deadline = Date.now() + 10_000;
    while ((server.hub.size !== 2 || server.gate.open !== 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(server.hub.size, 2, `members left besides the two bystanders (seed ${SEED})`);
    assert.equal(server.gate.open, 2, `gate slots held besides the two bystanders' (seed ${SEED})`);
    await bystandersChat('end');
    assert.equal(server.stats.errors.get('SB_ERR_INTERNAL'), undefined, `an unexpected exception was counted (seed ${SEED})`);
    assert.ok(!framedBystander.socket.destroyed, 'the framed bystander was disconnected');

    const total = (key: Outcome) => lanes.reduce((sum, lane) => sum + lane.outcomes[key], 0);
    t.diagnostic(`seed ${SEED}: ${played} cases in ${((Date.now() - started) / 1000).toFixed(1)} s on ${lanes.length} lanes, ${checks} bystander checks`);
    t.diagnostic(`outcomes: probed ${total('probed')}, closed by server ${total('closedByServer')}, ended ${total('ended')}, destroyed ${total('destroyed')}; connections ${lanes.map((lane) => `${lane.name}=${lane.connections}`).join(' ')}`);
    t.diagnostic(`errors counted: ${JSON.stringify(Object.fromEntries(server.stats.errors))}`);
    await Promise.all([framedBystander.close(), wsBystander.close()]);
  });
});
