import net from 'node:net';
import type { Logger } from 'pino';
import type { Transport } from '../../shared/events.js';
import { isSwitchboardError } from '../../shared/errors.js';
import type { Member, MemberConnection } from '../room/member.js';
import type { OutgoingMessage } from '../room/outgoing-message.js';
import type { Room } from '../room/room.js';
import type { TrafficStats } from '../stats.js';
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
  /** The message's wire form for this transport, built once per message and shared. */
  wireForm(message: OutgoingMessage): Uint8Array;
}

export interface TcpAdapterOptions {
  room: Room;
  logger: Logger;
  maxPayload: number;
  stats: TrafficStats;
}

/** How long a closing connection may take to flush its last notice before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

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
  private readonly log: Logger;
  private readonly stats: TrafficStats;
  private readonly decoder: StreamDecoder;
  private readonly member: Member;
  private closing = false;

  constructor(socket: net.Socket, codec: TcpCodec, options: TcpAdapterOptions) {
    this.socket = socket;
    this.codec = codec;
    this.room = options.room;
    this.stats = options.stats;
    this.transport = codec.transport;
    this.address = peerAddress(socket.remoteAddress, socket.remotePort);
    this.log = options.logger.child({ transport: codec.transport, from: this.address });
    this.decoder = codec.createDecoder(this.onText, options.maxPayload);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    this.stats.connectionsOpened[this.transport] += 1;
    this.log.info('connection opened');
    this.member = this.room.join(this);
  }

  deliver(message: OutgoingMessage): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const bytes = this.codec.wireForm(message);
    this.stats.bytesOut[this.transport] += bytes.length;
    this.socket.write(bytes);
  }

  private readonly onText = (text: string): void => {
    this.room.receive(this.member, text);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.closing) return;
    this.stats.bytesIn[this.transport] += chunk.length;
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
    this.log.debug({ err: error }, 'socket error');
  };

  private readonly onClose = (): void => {
    this.room.leave(this.member);
    this.log.info('connection closed');
  };

  /** Tell the client why (when the socket still takes writes), leave the room, then close. */
  private fail(error: unknown): void {
    this.closing = true;
    if (isSwitchboardError(error)) {
      this.log.warn({ code: error.code }, `closing connection: ${error.message}`);
      this.room.noticeTo(this.member, `error: ${error.message}; closing connection`, 'error', error.code);
      this.room.leave(this.member, error.code);
    } else {
      this.log.error({ err: error }, 'unexpected error while handling connection; closing it');
      this.room.noticeTo(this.member, 'error: internal server error; closing connection', 'error', 'SB_ERR_INTERNAL');
      this.room.leave(this.member, 'SB_ERR_INTERNAL');
    }
    this.socket.pause();
    this.socket.end();
    setTimeout(destroySocket, CLOSE_GRACE_MS, this.socket).unref();
  }
}

function destroySocket(socket: net.Socket): void {
  socket.destroy();
}

/** A TCP server whose every connection joins the room through the given codec. */
export function createTcpServer(codec: TcpCodec, options: TcpAdapterOptions): net.Server {
  const server = net.createServer(function onConnection(socket) {
    new TcpConnection(socket, codec, options);
  });
  server.on('error', function onServerError(error) {
    options.logger.error({ err: error, transport: codec.transport }, 'listener error');
  });
  return server;
}
