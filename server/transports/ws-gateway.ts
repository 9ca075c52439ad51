import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import { type RawData, WebSocket } from 'ws';
import { parseClientEvent } from '../../shared/client-event.js';
import type { HistoryEvent, MemberInfo, MessageEvent, ServerEvent } from '../../shared/events.js';
import { type ErrorCode, isSwitchboardError } from '../../shared/errors.js';
import { MEMBER_LIST_MAX } from '../../shared/limits.js';
import type { ConnectionGate } from '../connection-gate.js';
import { isOriginAllowed } from '../http/origin-check.js';
import type { Member, MemberConnection } from '../room/member.js';
import { type OutgoingMessage, defineWireForm } from '../room/outgoing-message.js';
import type { Replay, ResumePoint } from '../room/room-history.js';
import type { Room } from '../room/room.js';
import type { TrafficStats } from '../stats.js';
import { BatchedWriter } from './batched-writer.js';
import { peerAddress } from './peer-address.js';
import { CLOSE_GRACE_MS } from './tcp-adapter.js';
import { encodeWsTextFrame, rawSocketOf } from './ws-frame.js';

/** The event as one complete WebSocket text frame, framed once for every WebSocket member. */
export const WS_FORM = defineWireForm(function encodeWsEvent(message: OutgoingMessage) {
  return encodeWsTextFrame(Buffer.from(JSON.stringify(message.toEvent()), 'utf8'));
});

export interface WsGatewayOptions {
  room: Room;
  stats: TrafficStats;
  logger: Logger;
  maxPayload: number;
  allowedOrigins: readonly string[];
  gate: ConnectionGate;
  /** Milliseconds between pings; a connection that did not answer the previous one is dropped. 0 = off. */
  pingIntervalMs: number;
}

/** ws's own error codes for what our TCP ports report as these. */
const WS_ERROR_CODES: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  ['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'SB_ERR_FRAME_TOO_LARGE'],
  ['WS_ERR_INVALID_UTF8', 'SB_ERR_INVALID_UTF8'],
]);

/** WebSocket close code for each reason the room closes a connection. */
function closeCodeFor(reason: ErrorCode): number {
  if (reason === 'SB_ERR_SHUTTING_DOWN') return 1001; // going away
  if (reason === 'SB_ERR_INTERNAL') return 1011;
  if (reason === 'SB_ERR_TOO_MANY_CONNECTIONS') return 1013; // try again later
  return 1008; // policy violation: slow consumer, flooding, idle
}

function terminateSocket(socket: WebSocket): void {
  socket.terminate();
}

/**
 * One WebSocket as a room member: one JSON event per WebSocket message, the counterpart of one
 * frame on the TCP port. Invalid events and binary messages get an `error` event and the
 * connection stays up; an unexpected exception closes this connection only (1011).
 */
class WsConnection implements MemberConnection {
  readonly transport = 'ws' as const;
  readonly address: string;
  /** Cleared on each ping, set by the pong: false at the next ping means the peer is gone. */
  alive = true;
  private readonly socket: WebSocket;
  private readonly options: WsGatewayOptions;
  /** Parent logger: a child per connection would cost memory on every idle connection. */
  private readonly logger: Logger;
  private readonly output: BatchedWriter;
  private readonly member: Member;

  constructor(socket: WebSocket, address: string, options: WsGatewayOptions, resume: ResumePoint | undefined) {
    this.socket = socket;
    this.output = new BatchedWriter(rawSocketOf(socket), () => socket.readyState === WebSocket.OPEN);
    this.options = options;
    this.address = address;
    this.logger = options.logger;
    socket.on('message', this.onMessage);
    socket.on('pong', this.onPong);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    options.stats.connectionsOpened.ws += 1;
    this.logger.info({ transport: this.transport, from: this.address }, 'connection opened');
    this.member = options.room.join(this, resume);
  }

  /** Bytes queued for this member: ours plus the socket's buffer. */
  get pendingBytes(): number {
    // ws's own queue only holds frames while compressing, and permessage-deflate is off: its
    // pings and close frames go straight to the socket, whose buffer our writer already counts.
    return this.output.pendingBytes;
  }

  deliver(message: OutgoingMessage): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const frame = message.wire(WS_FORM);
    this.options.stats.bytesOut.ws += frame.length;
    this.output.write(frame);
  }

  acknowledge(message: OutgoingMessage): void {
    this.sendEvent({ ...message.toEvent(), self: true } as ServerEvent);
  }

  welcome(you: MemberInfo, members: MemberInfo[], count: number): void {
    this.sendEvent({ type: 'welcome', time: Date.now(), you, members, count, maxPayload: this.options.maxPayload });
  }

  history(replay: Replay): void {
    const messages = replay.messages.map((message) => message.toEvent() as MessageEvent);
    const event: HistoryEvent = { type: 'history', mode: replay.mode, epoch: replay.epoch, messages, more: replay.more };
    this.sendEvent(event);
  }

  close(reason: ErrorCode): void {
    this.output.flush();
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(closeCodeFor(reason), reason);
    setTimeout(terminateSocket, CLOSE_GRACE_MS, this.socket).unref();
  }

  /** Called by the gateway's ping timer; `forgive` after a stalled event loop. */
  ping(forgive: boolean): void {
    if (!this.alive && !forgive) {
      this.logger.info({ transport: this.transport, from: this.address }, 'no pong since the last ping; terminating');
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /** An event for this member only, in order with the batched room traffic. */
  private sendEvent(event: ServerEvent): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const frame = encodeWsTextFrame(Buffer.from(JSON.stringify(event), 'utf8'));
    this.options.stats.bytesOut.ws += frame.length;
    this.output.write(frame);
  }

  private refuse(code: 'SB_ERR_INVALID_EVENT' | 'SB_ERR_BINARY_REFUSED', message: string): void {
    this.options.stats.countError(code);
    this.logger.debug({ transport: this.transport, from: this.address, code }, message);
    this.sendEvent({ type: 'error', code, message });
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    this.options.stats.bytesIn.ws += bytes.length;
    this.options.room.touch(this.member);
    if (isBinary) {
      this.refuse('SB_ERR_BINARY_REFUSED', 'binary messages are not accepted; send JSON text events');
      return;
    }
    try {
      const event = parseClientEvent(bytes.toString('utf8'));
      if (event.type === 'send') this.options.room.receive(this.member, event.text);
      else this.sendEvent({ type: 'members', time: Date.now(), members: this.options.room.list(MEMBER_LIST_MAX), count: this.options.room.total });
    } catch (error) {
      if (isSwitchboardError(error) && error.code === 'SB_ERR_INVALID_EVENT') {
        this.refuse(error.code, error.message);
        return;
      }
      this.logger.error({ transport: this.transport, from: this.address, err: error }, 'unexpected error while handling connection');
      this.options.room.disconnect(this.member, 'SB_ERR_INTERNAL', 'internal server error');
    }
  };

  private readonly onPong = (): void => {
    this.alive = true;
  };

  private readonly onError = (error: Error & { code?: string }): void => {
    // ws reports protocol violations here and then closes with the matching code.
    const code = WS_ERROR_CODES.get(error.code ?? '');
    if (code !== undefined) this.options.stats.countError(code);
    this.logger.warn({ transport: this.transport, from: this.address, err: error, code: code ?? error.code }, 'websocket error; closing connection');
  };

  private readonly onClose = (code: number): void => {
    this.options.room.leave(this.member);
    this.logger.info({ transport: this.transport, from: this.address, code }, 'connection closed');
  };
}

/**
 * `/ws?after=ID&epoch=E`: a page that reconnects says where it left off, so the replay it gets
 * on joining is exactly what it missed. Without both (or malformed), it is a first visit.
 */
export function resumePointOf(query: unknown): ResumePoint | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const { after, epoch } = query as Record<string, unknown>;
  if (typeof after !== 'string' || !/^\d{1,15}$/.test(after) || typeof epoch !== 'string' || epoch.length === 0) return undefined;
  return { after: Number(after), epoch };
}

async function wsGatewayPlugin(app: FastifyInstance, options: WsGatewayOptions): Promise<void> {
  if (!Number.isInteger(options.maxPayload) || options.maxPayload <= 0) {
    throw new Error('ws gateway: maxPayload must be a positive integer');
  }
  const connections = new Set<WsConnection>();

  async function checkOrigin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!isOriginAllowed(request.headers.origin, request.headers.host, options.allowedOrigins)) {
      options.logger.warn({ origin: request.headers.origin, ip: request.ip }, 'websocket upgrade refused: origin not allowed');
      await reply.code(403).send({ error: 'origin not allowed' });
    }
  }

  app.get('/ws', { websocket: true, preValidation: checkOrigin }, function onWebSocket(socket, request) {
    const ip = request.socket?.remoteAddress ?? 'unknown';
    const address = peerAddress(ip, request.socket?.remotePort);
    const refusal = options.room.closing ? 'server shutting down' : options.gate.admit(ip);
    if (refusal !== null) {
      const code: ErrorCode = options.room.closing ? 'SB_ERR_SHUTTING_DOWN' : 'SB_ERR_TOO_MANY_CONNECTIONS';
      options.stats.countError(code);
      options.logger.warn({ transport: 'ws', from: address, code }, `connection refused: ${refusal}`);
      const event: ServerEvent = { type: 'error', code, message: refusal, fatal: true };
      socket.send(JSON.stringify(event));
      socket.close(closeCodeFor(code), code);
      return;
    }
    const connection = new WsConnection(socket, address, options, resumePointOf(request.query));
    connections.add(connection);
    socket.once('close', function releaseWsSlot() {
      connections.delete(connection);
      options.gate.release(ip);
    });
  });

  if (options.pingIntervalMs > 0) {
    let lastTick = Date.now();
    const timer = setInterval(function pingAll() {
      const now = Date.now();
      // After a stalled event loop, timers run before pending socket reads, so unread pongs
      // would look missing: give everyone a fresh round instead of judging.
      const stalled = now - lastTick > options.pingIntervalMs * 1.5;
      lastTick = now;
      for (const connection of connections) connection.ping(stalled);
    }, options.pingIntervalMs);
    timer.unref();
    app.addHook('onClose', async function stopPinging() {
      clearInterval(timer);
    });
  }
}

/** The `/ws` endpoint: browsers join the room here. Needs @fastify/websocket registered first. */
export const wsGateway = fp(wsGatewayPlugin, { name: 'switchboard-ws-gateway', dependencies: ['@fastify/websocket'] });
