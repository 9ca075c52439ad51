import type net from 'node:net';
import { FrameDecoder } from '../../shared/frame-decoder.js';
import { parseClientPayload } from '../../shared/payload.js';
import type { OutgoingMessage } from '../room/outgoing-message.js';
import { type TcpAdapterOptions, type TcpCodec, createTcpServer } from './tcp-adapter.js';

/**
 * The seed's protocol: 4-byte big-endian length + UTF-8. The client's leading timestamp, if any,
 * is dropped (the server stamps its own), so the seed's own client works unchanged.
 */
export const framedCodec: TcpCodec = {
  transport: 'tcp',
  createDecoder(onText, maxPayload) {
    return new FrameDecoder(function onPayload(payload) {
      onText(parseClientPayload(payload));
    }, { maxPayload });
  },
  wireForm(message: OutgoingMessage) {
    return message.framed;
  },
};

export function createFramedServer(options: TcpAdapterOptions): net.Server {
  return createTcpServer(framedCodec, options);
}
