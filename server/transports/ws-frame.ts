import type net from 'node:net';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

/**
 * ws exports its Sender (with the static `frame` builder) but @types/ws does not declare it. A
 * named export of ws's ESM wrapper: `WebSocket.Sender` (on the default export) is only set once
 * something has loaded ws's CommonJS index, as @fastify/websocket does, so it is undefined in a
 * process (a unit test) that has not.
 */
const Sender = (wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }).Sender;

const TEXT_FRAME: FrameOptions = { fin: true, opcode: 0x1, mask: false, readOnly: true, rsv1: false };

/**
 * One complete, unmasked WebSocket text frame for `payload`, built by ws's own framer. A
 * broadcast builds it once and writes the same bytes to every WebSocket member, instead of
 * calling `send` (and framing) once per member. Valid because permessage-deflate is off.
 */
export function encodeWsTextFrame(payload: Uint8Array): Uint8Array {
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  const parts = Sender.frame(data, TEXT_FRAME);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * The TCP socket under a server-side WebSocket. ws keeps it private (`_socket`); we write whole
 * pre-built frames to it between ws's own frames (pings, close), which is safe frame-by-frame.
 */
export function rawSocketOf(socket: WebSocket): net.Socket {
  return (socket as unknown as { _socket: net.Socket })._socket;
}
