import net from 'node:net';
import type { Logger } from 'pino';
import type { Transport } from '../../shared/events.js';
import { isSwitchboardError } from '../../shared/errors.js';
import type { ConnectionGate } from '../connection-gate.js';
import type { Member, MemberConnection } from '../room/member.js';
import { OutgoingMessage, type WireForm } from '../room/outgoing-message.js';
import type { Replay } from '../room/room-history.js';
import type { Room } from '../room/room.js';
import type { TrafficStats } from '../stats.js';
import { BatchedWriter } from './batched-writer.js';
import { peerAddress } from './peer-address.js';

/** An incremental decoder as both TCP codecs provide it (no socket inside). */
export interface StreamDecoder {
  push(chunk: Uint8Array): void;
  end?(): void;
}

/** What distinguishes the framed port from the line port: how bytes become text, and back. */
export interface TcpCodec {
  readonly transport: Transport;
  createDecoder(onText: (text: string) => void, maxPayload: number): StreamDecoder;
  /** The wire form this transport speaks; each message builds it once for all its members. */
  readonly form: WireForm;
  /** Replay history one frame at a time (for clients that read one frame per recv). */
  readonly pacedReplay: boolean;
}

export interface TcpAdapterOptions {
  room: Room;
  logger: Logger;
  maxPayload: number;
  stats: TrafficStats;
  gate: ConnectionGate;
}

/** Gap between replayed history frames on the framed port (see TcpConnection.history). */
const REPLAY_GAP_MS = 10;

/** How long a closing connection may take to flush its last notice before it is destroyed. */
export const CLOSE_GRACE_MS = 2000;
/** TCP keepalive probes start after this much silence, so dead peers are found without traffic. */
const KEEPALIVE_MS = 30_000;

function destroySocket(socket: net.Socket): void {
  socket.destroy();
}

/** Half-close (flushing what is queued), then destroy after the grace period whatever happens. */
function endGracefully(socket: net.Socket): void {
  if (socket.destroyed) return;
  socket.pause();
  socket.end();
  setTimeout(destroySocket, CLOSE_GRACE_MS, socket).unref();
}

/**
 * One TCP connection as a room member. Translates bytes to room events through the codec's
 * decoder and room messages to bytes through the codec's wire form. Any failure while handling
 * this connection (bad input or a bug) closes this connection only.
 */
class TcpConnection implements MemberConnection {
  readonly transport: Transport;
  readonly address: string;
  private readonly socket: net.Socket;
  private readonly codec: TcpCodec;
  private readonly room: Room;
  /** Parent logger: a child per connection would cost memory on every idle connection. */
  private readonly logger: Logger;
  private readonly stats: TrafficStats;
  private readonly decoder: StreamDecoder;
  private readonly output: BatchedWriter;
  private readonly member: Member;
  private closing = false;

  constructor(socket: net.Socket, codec: TcpCodec, options: TcpAdapterOptions) {
    this.socket = socket;
    this.codec = codec;
    this.room = options.room;
    this.stats = options.stats;
    this.transport = codec.transport;
    this.address = peerAddress(socket.remoteAddress, socket.remotePort);
    this.logger = options.logger;
    this.decoder = codec.createDecoder(this.onText, options.maxPayload);
    this.output = new BatchedWriter(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_MS);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    this.stats.connectionsOpened[this.transport] += 1;
    this.logger.info({ transport: this.transport, from: this.address }, 'connection opened');
    this.member = this.room.join(this);
  }

  get pendingBytes(): number {
    return this.output.pendingBytes;
  }

  /**
   * History on join. Framed clients get it paced, one frame per REPLAY_GAP_MS, so the seed's
   * client (one frame per `recv`) shows every message; line clients get it in one go.
   */
  history(replay: Replay): void {
    const frames: Uint8Array[] = [];
    for (const message of replay.messages) frames.push(message.wire(this.codec.form));
    for (const frame of frames) this.stats.bytesOut[this.transport] += frame.length;
    if (this.codec.pacedReplay) {
      this.output.writePaced(frames, REPLAY_GAP_MS);
      return;
    }
    for (const frame of frames) this.output.write(frame);
  }

  deliver(message: OutgoingMessage): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const bytes = message.wire(this.codec.form);
    this.stats.bytesOut[this.transport] += bytes.length;
    this.output.write(bytes);
  }

  close(): void {
    this.closing = true;
    this.output.flush();
    endGracefully(this.socket);
  }

  private readonly onText = (text: string): void => {
    this.room.receive(this.member, text);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.closing) return;
    this.stats.bytesIn[this.transport] += chunk.length;
    this.room.touch(this.member);
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.fail(error);
    }
  };

  private readonly onEnd = (): void => {
    if (this.closing) return;
    try {
      this.decoder.end?.();
    } catch (error) {
      this.fail(error);
    }
  };

  private readonly onError = (error: Error): void => {
    this.logger.debug({ transport: this.transport, from: this.address, err: error }, 'socket error');
  };

  private readonly onClose = (): void => {
    this.room.leave(this.member);
    this.logger.info({ transport: this.transport, from: this.address }, 'connection closed');
  };

  /** Bad input or a bug: tell the client why (where it can still hear), close this connection only. */
  private fail(error: unknown): void {
    if (isSwitchboardError(error)) {
      this.room.disconnect(this.member, error.code, error.message);
    } else {
      this.logger.error({ transport: this.transport, from: this.address, err: error }, 'unexpected error while handling connection');
      this.room.disconnect(this.member, 'SB_ERR_INTERNAL', 'internal server error');
    }
    if (!this.closing) this.close();
  }
}

/** Turns a connection away before it joins: one error notice in the transport's form, then close. */
function refuse(socket: net.Socket, codec: TcpCodec, options: TcpAdapterOptions, code: 'SB_ERR_TOO_MANY_CONNECTIONS' | 'SB_ERR_SHUTTING_DOWN', why: string): void {
  options.stats.countError(code);
  options.logger.warn({ transport: codec.transport, from: peerAddress(socket.remoteAddress, socket.remotePort), code }, `connection refused: ${why}`);
  socket.on('error', function ignoreRefusedSocketError() {});
  const notice = new OutgoingMessage({ kind: 'notice', notice: 'error', time: Date.now(), text: `error: ${why}; closing connection`, code });
  socket.write(notice.wire(codec.form));
  endGracefully(socket);
}

/** A TCP server whose every connection joins the room through the given codec, within the gate's limits. */
export function createTcpServer(codec: TcpCodec, options: TcpAdapterOptions): net.Server {
  const server = net.createServer(function onConnection(socket) {
    if (options.room.closing) {
      refuse(socket, codec, options, 'SB_ERR_SHUTTING_DOWN', 'server shutting down');
      return;
    }
    const ip = socket.remoteAddress ?? 'unknown';
    const refusal = options.gate.admit(ip);
    if (refusal !== null) {
      refuse(socket, codec, options, 'SB_ERR_TOO_MANY_CONNECTIONS', refusal);
      return;
    }
    socket.once('close', function releaseGateSlot() {
      options.gate.release(ip);
    });
    new TcpConnection(socket, codec, options);
  });
  server.on('error', function onServerError(error) {
    options.logger.error({ err: error, transport: codec.transport }, 'listener error');
  });
  return server;
}
