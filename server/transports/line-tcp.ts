import type net from 'node:net';
import { LineDecoder } from '../../shared/line-decoder.js';
import type { OutgoingMessage } from '../room/outgoing-message.js';
import { type TcpAdapterOptions, type TcpCodec, createTcpServer } from './tcp-adapter.js';

/**
 * netcat/telnet: one LF- or CRLF-terminated line in is one message; each message out is
 * `DATE TIME SENDER TEXT\n`. Lines are taken as typed: no timestamp prefix is stripped.
 */
export const lineCodec: TcpCodec = {
  transport: 'line',
  createDecoder(onText, maxPayload) {
    return new LineDecoder(onText, { maxLine: maxPayload });
  },
  wireForm(message: OutgoingMessage) {
    return message.line;
  },
};

export function createLineServer(options: TcpAdapterOptions): net.Server {
  return createTcpServer(lineCodec, options);
}
