import type { Logger } from 'pino';
import { type RawData, WebSocket } from 'ws';
import { parseClientEvent } from '../../shared/client-event.js';
import type { ClientEvent, MemberInfo, RateLimits, RoomInfo, ServerEvent } from '../../shared/events.js';
import { type ErrorCode, isSwitchboardError } from '../../shared/errors.js';
import type { ReplayCursor, ResumePoint } from '../channel/channel-history.js';
import type { Hub } from '../hub/hub.js';
import type { Intent } from '../hub/intents.js';
import type { CloseReason, RoomView, Session, SessionConnection, SessionInput } from '../hub/session.js';
import { oneLineReason } from '../hub/slash-commands.js';
import { type OutgoingMessage, defineWireForm } from '../message/outgoing-message.js';
import type { DropReason, OutputPolicy } from '../output/output-policy.js';
import { type OutputOwner, OutputQueue } from '../output/output-queue.js';
import type { TrafficStats } from '../stats.js';
import { CLOSE_GRACE_MS } from './tcp-adapter.js';
import { toEvent } from './ws-events.js';
import { encodeWsTextFrame, rawSocketOf } from './ws-frame.js';
import { WsReplay } from './ws-replay.js';

/** The event as one complete WebSocket text frame, framed once for every WebSocket member. */
export const WS_FORM = defineWireForm(function encodeWsEvent(message: OutgoingMessage) {
  return encodeWsTextFrame(Buffer.from(JSON.stringify(toEvent(message)), 'utf8'));
});

/** What a WebSocket connection needs from the gateway. */
export interface WsConnectionOptions {
  hub: Hub;
  stats: TrafficStats;
  logger: Logger;
  maxPayload: number;
  policy: OutputPolicy;
}

/** ws's own error codes for what our TCP ports report as these. */
const WS_ERROR_CODES: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  ['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'SB_ERR_FRAME_TOO_LARGE'],
  ['WS_ERR_INVALID_UTF8', 'SB_ERR_INVALID_UTF8'],
]);

/** A page's typed event as an intent (`send` is text, parsed like any typed line). */
function intentOf(event: Exclude<ClientEvent, { type: 'send' }>): Intent {
  switch (event.type) {
    case 'who':
      return { type: 'who', room: event.room ?? null, quiet: true };
    case 'join':
      return event.after === undefined || event.epoch === undefined
        ? { type: 'join', room: event.room }
        : { type: 'join', room: event.room, resume: { after: event.after, epoch: event.epoch } };
    case 'part':
      return { type: 'part', room: event.room, reason: oneLineReason(event.reason ?? '') };
    case 'msg':
      return { type: 'msg', to: event.to, kind: event.kind ?? 'chat', text: event.text };
    case 'topic':
      return { type: 'topic', room: event.room, text: event.text };
    case 'rooms':
      return { type: 'rooms' };
    case 'nick':
      return { type: 'nick', name: event.name };
    case 'pass':
      return { type: 'pass', secret: event.password };
  }
}

/** WebSocket close code for each reason the room closes a connection. */
export function closeCodeFor(reason: CloseReason): number {
  if (reason === 'quit') return 1000; // normal: the member asked; the page does not reconnect
  if (reason === 'SB_ERR_SHUTTING_DOWN') return 1001; // going away
  if (reason === 'SB_ERR_INTERNAL') return 1011;
  if (reason === 'SB_ERR_TOO_MANY_CONNECTIONS') return 1013; // try again later
  return 1008; // policy violation: slow consumer, flooding, idle
}

function terminateSocket(socket: WebSocket): void {
  socket.terminate();
}

/** What an invalid event may echo of itself: enough to recognise it, never an amplifier. */
const ECHO_MAX = 80;

function shortened(text: string): string {
  return text.length > ECHO_MAX ? `${text.slice(0, ECHO_MAX)}…` : text;
}

/**
 * One WebSocket as a session of the hub: one JSON event per WebSocket message, the counterpart of one
 * frame on the TCP port. Invalid events and binary messages get an `error` event and the
 * connection stays up (each costs its sender under the flood limit like a message); an
 * unexpected exception closes this connection only (1011). Every frame goes out through the
 * connection's OutputQueue.
 */
export class WsConnection implements SessionConnection, OutputOwner {
  readonly transport = 'ws' as const;
  readonly address: string;
  /** Cleared on each ping, set by the pong: false at the next ping means the peer is gone. */
  alive = true;
  private readonly socket: WebSocket;
  private readonly options: WsConnectionOptions;
  /** Parent logger: a child per connection would cost memory on every idle connection. */
  private readonly logger: Logger;
  private readonly output: OutputQueue;
  private readonly session: Session;
  private closing = false;

  constructor(socket: WebSocket, address: string, options: WsConnectionOptions, resume: ResumePoint | undefined) {
    this.socket = socket;
    this.output = new OutputQueue(rawSocketOf(socket), options.policy, this, () => socket.readyState === WebSocket.OPEN);
    this.options = options;
    this.address = address;
    this.logger = options.logger;
    socket.on('message', this.onMessage);
    socket.on('pong', this.onPong);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    options.stats.connectionsOpened.ws += 1;
    this.logger.info({ transport: this.transport, from: this.address }, 'connection opened');
    this.session = options.hub.connect(this, resume === undefined ? {} : { resume });
  }

  deliver(message: OutgoingMessage): void {
    if (this.closing) return;
    const chunk = message.chunk(WS_FORM);
    this.options.stats.bytesOut.ws += chunk.bytes.length;
    this.output.write(chunk);
  }

  acknowledge(message: OutgoingMessage): void {
    this.sendEvent({ ...toEvent(message), self: true } as ServerEvent);
  }

  welcome(you: MemberInfo, limits: RateLimits, defaultRoom: string, passwordRequired: boolean): void {
    const maxRooms = this.options.hub.limits.maxRoomsPerMember;
    this.sendEvent({ type: 'welcome', time: Date.now(), you, defaultRoom, maxPayload: this.options.maxPayload, limits, maxRooms, ...(passwordRequired ? { passwordRequired } : {}) });
  }

  joined(room: RoomView): void {
    this.sendEvent({ type: 'joined', time: Date.now(), room: room.name, topic: room.topic, members: room.members, count: room.count });
  }

  parted(room: string, reason: string): void {
    this.sendEvent({ type: 'parted', time: Date.now(), room, ...(reason === '' ? {} : { reason }) });
  }

  /** The page closes a room it was kicked from as if it had left (the kick notice said why). */
  kicked(room: string, reason: string): void {
    this.parted(room, reason === '' ? 'kicked' : `kicked: ${reason}`);
  }

  rooms(rooms: RoomInfo[], count: number): void {
    this.sendEvent({ type: 'rooms', time: Date.now(), rooms, count });
  }

  replay(cursor: ReplayCursor): void {
    this.output.startReplay(new WsReplay(cursor, this.options.stats));
  }

  members(room: string, members: MemberInfo[], count: number): void {
    this.sendEvent({ type: 'members', time: Date.now(), room, members, count });
  }

  refused(code: ErrorCode, message: string): void {
    this.logger.debug({ transport: this.transport, from: this.address, code }, message);
    this.sendEvent({ type: 'error', code, message });
  }

  pauseInput(): void {
    this.socket.pause();
  }

  resumeInput(): void {
    if (!this.closing) this.socket.resume();
  }

  close(reason: CloseReason, farewell: OutgoingMessage | null): void {
    if (this.closing) return;
    this.closing = true;
    this.output.finish(farewell === null ? null : farewell.wire(WS_FORM), reason === 'SB_ERR_SLOW_CONSUMER');
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(closeCodeFor(reason), reason);
    setTimeout(terminateSocket, CLOSE_GRACE_MS, this.socket).unref();
  }

  outputDropped(_reason: DropReason, why: string): void {
    this.options.hub.disconnect(this.session, 'SB_ERR_SLOW_CONSUMER', why);
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
    if (this.closing) return;
    const frame = encodeWsTextFrame(Buffer.from(JSON.stringify(event), 'utf8'));
    this.options.stats.bytesOut.ws += frame.length;
    this.output.writeOwn(frame);
  }

  /** What a WebSocket message asks of the hub; anything invalid is a refusal, not an error. */
  private inputOf(bytes: Buffer, isBinary: boolean): SessionInput {
    const size = bytes.length;
    if (isBinary) return { kind: 'refused', code: 'SB_ERR_BINARY_REFUSED', message: 'binary messages are not accepted; send JSON text events', bytes: size };
    try {
      const event = parseClientEvent(bytes.toString('utf8'));
      if (event.type === 'send') return { kind: 'text', text: event.text, bytes: size, room: event.room ?? this.options.hub.rooms.defaultRoom.name };
      return { kind: 'intent', intent: intentOf(event), bytes: size };
    } catch (error) {
      if (isSwitchboardError(error) && error.code === 'SB_ERR_INVALID_EVENT') return { kind: 'refused', code: error.code, message: shortened(error.message), bytes: size };
      throw error;
    }
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    this.options.stats.bytesIn.ws += bytes.length;
    try {
      this.options.hub.input(this.session, this.inputOf(bytes, isBinary));
    } catch (error) {
      this.logger.error({ transport: this.transport, from: this.address, err: error }, 'unexpected error while handling connection');
      this.options.hub.disconnect(this.session, 'SB_ERR_INTERNAL', 'internal server error');
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
    this.closing = true;
    this.output.dispose();
    this.options.hub.leave(this.session);
    this.logger.info({ transport: this.transport, from: this.address, code }, 'connection closed');
  };
}

