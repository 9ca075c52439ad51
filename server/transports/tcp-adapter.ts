import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { Transport } from '../../shared/events.js';
import type { InputBudgetError } from '../../shared/errors.js';
import { isSwitchboardError } from '../../shared/errors.js';
import type { EvictionListener } from '../../shared/input-buffer.js';
import type { InputBudget } from '../../shared/input-budget.js';
import type { ConnectionGate } from '../connection-gate.js';
import type { DropReason, OutputPolicy } from '../output/output-policy.js';
import { type OutputOwner, OutputQueue } from '../output/output-queue.js';
import type { ReplayCursor } from '../channel/channel-history.js';
import type { Hub } from '../hub/hub.js';
import type { CloseReason, Session, SessionConnection } from '../hub/session.js';
import { OutgoingMessage, type WireForm } from '../message/outgoing-message.js';
import type { TrafficStats } from '../stats.js';
import { peerAddress } from './peer-address.js';
import { isPrefixedFor } from './text-form.js';
import { TextReplay } from './text-replay.js';

/** An incremental decoder as both TCP codecs provide it (no socket inside). */
export interface StreamDecoder {
  push(chunk: Uint8Array): void;
  end?(): void;
  /** The connection ended: let go of unfinished input (and give it back to the budget). */
  close?(): void;
}

/** What distinguishes the framed port from the line port: how bytes become text, and back. */
export interface TcpCodec {
  readonly transport: Transport;
  createDecoder(onText: (text: string) => void, maxPayload: number, budget: InputBudget | undefined, evictionListener: EvictionListener): StreamDecoder;
  /** The wire form this transport speaks; each message builds it once for all its members. */
  readonly form: WireForm;
  /** The same for a message about a room that is not the reader's current one (`[#ops] …`). */
  readonly roomForm: WireForm;
  /** Replay history one frame at a time (for clients that read one frame per recv). */
  readonly pacedReplay: boolean;
}

export interface TcpAdapterOptions {
  hub: Hub;
  logger: Logger;
  maxPayload: number;
  stats: TrafficStats;
  gate: ConnectionGate;
  policy: OutputPolicy;
  /** Shared by every TCP connection: caps the memory held for unfinished frames and lines. */
  inputBudget?: InputBudget;
}

/** How long a closing connection may take to flush its last notice before it is destroyed. */
export const CLOSE_GRACE_MS = 2000;
/**
 * After `/quit`, how long a peer may keep its side open before the connection is reset. A reset
 * is what ends netcat-openbsd, which otherwise waits for its stdin after the server's FIN; by
 * then the goodbye and the FIN that followed it have long been acknowledged.
 */
export const QUIT_RESET_MS = 250;
/** TCP keepalive probes start after this much silence, so dead peers are found without traffic. */
const KEEPALIVE_MS = 30_000;

function destroySocket(socket: net.Socket): void {
  socket.destroy();
}

/**
 * A TLS socket has no TCP handle of its own to reset (Node throws ERR_INVALID_HANDLE_TYPE, which
 * would take the server down): it is destroyed, which closes the TCP connection under it. TLS
 * clients (openssl s_client, `connect --tls`) end on the server's close; only netcat needs the reset.
 */
function resetSocket(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket instanceof tls.TLSSocket) socket.destroy();
  else socket.resetAndDestroy();
}

/** Half-close (flushing what is queued), then destroy after the grace period whatever happens. */
export function endGracefully(socket: net.Socket): void {
  if (socket.destroyed) return;
  socket.pause();
  socket.end();
  setTimeout(destroySocket, CLOSE_GRACE_MS, socket).unref();
}

/** Like endGracefully, but a peer still holding its side open after QUIT_RESET_MS is reset. */
function endAfterQuit(socket: net.Socket): void {
  endGracefully(socket);
  setTimeout(resetSocket, QUIT_RESET_MS, socket).unref();
}

/**
 * One TCP connection as a session of the hub. Translates bytes to hub input through the codec's
 * decoder and messages to bytes through the codec's wire forms (the room-prefixed one for a room
 * that is not the member's current one); every byte out goes through its OutputQueue. Any
 * failure while handling this connection (bad input or a bug) closes this connection only.
 */
class TcpConnection implements SessionConnection, OutputOwner, EvictionListener {
  readonly transport: Transport;
  readonly address: string;
  private readonly socket: net.Socket;
  private readonly codec: TcpCodec;
  private readonly hub: Hub;
  /** Parent logger: a child per connection would cost memory on every idle connection. */
  private readonly logger: Logger;
  private readonly stats: TrafficStats;
  private readonly decoder: StreamDecoder;
  private readonly output: OutputQueue;
  private readonly session: Session;
  private closing = false;
  /** The peer sent FIN: once the input held back by the flood limit is handled, we end too. */
  private inputEnded = false;

  constructor(socket: net.Socket, codec: TcpCodec, options: TcpAdapterOptions) {
    this.socket = socket;
    this.codec = codec;
    this.hub = options.hub;
    this.stats = options.stats;
    this.transport = codec.transport;
    this.address = peerAddress(socket.remoteAddress, socket.remotePort);
    this.logger = options.logger;
    this.decoder = codec.createDecoder(this.onText, options.maxPayload, options.inputBudget, this);
    this.output = new OutputQueue(socket, options.policy, this);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_MS);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    this.stats.connectionsOpened[this.transport] += 1;
    this.logger.info({ transport: this.transport, from: this.address }, 'connection opened');
    this.session = this.hub.connect(this);
  }

  /** History on join, streamed as the socket takes it (paced frame by frame on the framed port). */
  replay(cursor: ReplayCursor): void {
    this.output.startReplay(new TextReplay(cursor, this.codec.form, this.codec.pacedReplay, this.stats, this.transport));
  }

  deliver(message: OutgoingMessage): void {
    if (this.closing) return;
    // `session` is unset only while connecting, when everything is about the default room.
    const prefixed = this.session !== undefined && isPrefixedFor(message, this.session.currentKey);
    const chunk = message.chunk(prefixed ? this.codec.roomForm : this.codec.form);
    this.stats.bytesOut[this.transport] += chunk.bytes.length;
    this.output.write(chunk);
  }

  /** The input budget closed this connection's unfinished input to make room for another's. */
  inputEvicted(error: InputBudgetError): void {
    this.fail(error);
  }

  pauseInput(): void {
    this.socket.pause();
  }

  resumeInput(): void {
    if (this.closing) return;
    if (this.inputEnded) this.endAfterInput();
    else this.socket.resume();
  }

  close(reason: CloseReason, farewell: OutgoingMessage | null): void {
    if (this.closing) return;
    this.closing = true;
    this.output.finish(farewell === null ? null : farewell.wire(this.codec.form), reason === 'SB_ERR_SLOW_CONSUMER');
    if (reason === 'quit') endAfterQuit(this.socket);
    else endGracefully(this.socket);
  }

  outputDropped(_reason: DropReason, why: string): void {
    this.hub.disconnect(this.session, 'SB_ERR_SLOW_CONSUMER', why);
  }

  private readonly onText = (text: string): void => {
    this.hub.input(this.session, { kind: 'text', text, bytes: Buffer.byteLength(text) });
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.closing) return;
    this.stats.bytesIn[this.transport] += chunk.length;
    this.hub.touch(this.session);
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.fail(error);
    }
  };

  /**
   * The peer is done sending (`printf … | switchboard connect`). Its last input may still be held
   * back by the flood limit: the connection stays open until that is handled, then ends.
   */
  private readonly onEnd = (): void => {
    if (this.closing) return;
    this.inputEnded = true;
    try {
      this.decoder.end?.();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.session.flow?.holding !== true) this.endAfterInput();
  };

  private endAfterInput(): void {
    this.closing = true;
    this.output.finish(null, false);
    endGracefully(this.socket);
  }

  private readonly onError = (error: Error): void => {
    this.logger.debug({ transport: this.transport, from: this.address, err: error }, 'socket error');
  };

  private readonly onClose = (): void => {
    this.output.dispose();
    this.decoder.close?.();
    this.hub.leave(this.session);
    this.logger.info({ transport: this.transport, from: this.address }, 'connection closed');
  };

  /** Bad input or a bug: tell the client why (where it can still hear), close this connection only. */
  private fail(error: unknown): void {
    if (isSwitchboardError(error)) {
      this.hub.disconnect(this.session, error.code, error.message);
    } else {
      this.logger.error({ transport: this.transport, from: this.address, err: error }, 'unexpected error while handling connection');
      this.hub.disconnect(this.session, 'SB_ERR_INTERNAL', 'internal server error');
    }
    if (!this.closing) this.close('SB_ERR_INTERNAL', null);
  }
}

/** Turns a connection away before it joins: one error notice in the transport's form, then close. */
function refuse(socket: net.Socket, codec: TcpCodec, options: TcpAdapterOptions, code: 'SB_ERR_TOO_MANY_CONNECTIONS' | 'SB_ERR_SHUTTING_DOWN', why: string): void {
  options.stats.countError(code);
  options.logger.warn({ transport: codec.transport, from: peerAddress(socket.remoteAddress, socket.remotePort), code }, `connection refused: ${why}`);
  socket.on('error', function ignoreRefusedSocketError() {});
  // Out of descriptors to spare: no notice, the descriptor is needed now.
  if (!options.gate.lingerRefused(socket)) {
    socket.destroy();
    return;
  }
  const notice = new OutgoingMessage({ kind: 'notice', notice: 'error', time: Date.now(), text: `error: ${why}; closing connection`, code });
  socket.write(notice.wire(codec.form));
  endGracefully(socket);
}

/** A TCP server whose every connection joins the room through the given codec, within the gate's limits. */
export function createTcpServer(codec: TcpCodec, options: TcpAdapterOptions): net.Server {
  // Half-open: a peer that sent FIN may still have input held back by the flood limit.
  const server = net.createServer({ allowHalfOpen: true }, function onConnection(socket) {
    if (options.hub.closing) {
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
    // A failed listen() is the caller's to report (`serve` says it in one line); later errors are ours.
    if (!server.listening) return;
    options.logger.error({ err: error, transport: codec.transport }, 'listener error');
  });
  return server;
}
