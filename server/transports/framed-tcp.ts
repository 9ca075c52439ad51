import type net from 'node:net';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { formatServerPayload, parseClientPayload } from '../../shared/payload.js';
import { timestampOf } from '../room/clock.js';
import { type OutgoingMessage, defineWireForm } from '../room/outgoing-message.js';
import { type TcpAdapterOptions, type TcpCodec, createTcpServer } from './tcp-adapter.js';

/**
 * `DATE TIME SENDER TEXT` as one length-prefixed frame. Wrapped as a Buffer once here: a plain
 * Uint8Array would be converted by `socket.write` again for every member.
 */
export const FRAMED_FORM = defineWireForm(function encodeFramed(message: OutgoingMessage) {
  const frame = encodeFrame(formatServerPayload(timestampOf(message.time), message.sender, message.wireText));
  return Buffer.from(frame.buffer, frame.byteOffset, frame.length);
});

/**
 * The seed's protocol: 4-byte big-endian length + UTF-8. The client's leading timestamp, if any,
 * is dropped (the server stamps its own), so the seed's own client works unchanged.
 */
export const framedCodec: TcpCodec = {
  transport: 'tcp',
  form: FRAMED_FORM,
  pacedReplay: true,
  createDecoder(onText, maxPayload) {
    return new FrameDecoder(function onPayload(payload) {
      onText(parseClientPayload(payload));
    }, { maxPayload });
  },
};

export function createFramedServer(options: TcpAdapterOptions): net.Server {
  return createTcpServer(framedCodec, options);
}
