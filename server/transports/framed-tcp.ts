import type net from 'node:net';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { parseClientPayload } from '../../shared/payload.js';
import { type OutgoingMessage, defineWireForm } from '../message/outgoing-message.js';
import { type TcpAdapterOptions, type TcpCodec, createTcpServer } from './tcp-adapter.js';
import { textPayload } from './text-form.js';

/**
 * `DATE TIME SENDER TEXT` (see text-form.ts) as one length-prefixed frame. Wrapped as a Buffer
 * once here: a plain Uint8Array would be converted by `socket.write` again for every member.
 */
function framed(payload: string): Uint8Array {
  const frame = encodeFrame(payload);
  return Buffer.from(frame.buffer, frame.byteOffset, frame.length);
}

export const FRAMED_FORM = defineWireForm(function encodeFramed(message: OutgoingMessage) {
  return framed(textPayload(message, false));
});

/** The same, for a reader whose current room is not the message's: `[#ops] alice: hi`. */
export const FRAMED_ROOM_FORM = defineWireForm(function encodeFramedInRoom(message: OutgoingMessage) {
  return framed(textPayload(message, true));
});

/**
 * The seed's protocol: 4-byte big-endian length + UTF-8. The client's leading timestamp, if any,
 * is dropped (the server stamps its own), so the seed's own client works unchanged.
 */
export const framedCodec: TcpCodec = {
  transport: 'tcp',
  form: FRAMED_FORM,
  roomForm: FRAMED_ROOM_FORM,
  pacedReplay: true,
  createDecoder(onText, maxPayload, budget, evictionListener) {
    return new FrameDecoder(function onPayload(payload) {
      onText(parseClientPayload(payload));
    }, { maxPayload, budget, evictionListener });
  },
};

export function createFramedServer(options: TcpAdapterOptions): net.Server {
  return createTcpServer(framedCodec, options);
}
