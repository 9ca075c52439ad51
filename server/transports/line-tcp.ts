import type net from 'node:net';
import { LineDecoder } from '../../shared/line-decoder.js';
import { formatServerPayload, toSingleLine } from '../../shared/payload.js';
import { timestampOf } from '../room/clock.js';
import { type OutgoingMessage, defineWireForm } from '../room/outgoing-message.js';
import { type TcpAdapterOptions, type TcpCodec, createTcpServer } from './tcp-adapter.js';

/** `DATE TIME SENDER TEXT\n`, inner newlines shown as ␤ so one message stays one line. */
export const LINE_FORM = defineWireForm(function encodeLine(message: OutgoingMessage) {
  return Buffer.from(`${formatServerPayload(timestampOf(message.time), message.sender, toSingleLine(message.wireText))}\n`, 'utf8');
});

/**
 * netcat/telnet: one LF- or CRLF-terminated line in is one message; each message out is
 * `DATE TIME SENDER TEXT\n`. Lines are taken as typed: no timestamp prefix is stripped.
 */
export const lineCodec: TcpCodec = {
  transport: 'line',
  form: LINE_FORM,
  pacedReplay: false,
  createDecoder(onText, maxPayload) {
    return new LineDecoder(onText, { maxLine: maxPayload });
  },
};

export function createLineServer(options: TcpAdapterOptions): net.Server {
  return createTcpServer(lineCodec, options);
}
