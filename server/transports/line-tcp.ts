import type net from 'node:net';
import { LineDecoder } from '../../shared/line-decoder.js';
import { type OutgoingMessage, defineWireForm } from '../message/outgoing-message.js';
import { type TcpAdapterOptions, type TcpCodec, createTcpServer } from './tcp-adapter.js';
import { textPayload } from './text-form.js';

/** `DATE TIME SENDER TEXT\n` (see text-form.ts), inner line breaks shown as ␤. */
export const LINE_FORM = defineWireForm(function encodeLine(message: OutgoingMessage) {
  return Buffer.from(`${textPayload(message, false)}\n`, 'utf8');
});

/** The same, for a reader whose current room is not the message's: `[#ops] alice: hi`. */
export const LINE_ROOM_FORM = defineWireForm(function encodeLineInRoom(message: OutgoingMessage) {
  return Buffer.from(`${textPayload(message, true)}\n`, 'utf8');
});

/**
 * netcat/telnet: one LF- or CRLF-terminated line in is one message; each message out is
 * `DATE TIME SENDER TEXT\n`. Lines are taken as typed: no timestamp prefix is stripped.
 */
export const lineCodec: TcpCodec = {
  transport: 'line',
  form: LINE_FORM,
  roomForm: LINE_ROOM_FORM,
  pacedReplay: false,
  createDecoder(onText, maxPayload, budget, evictionListener) {
    return new LineDecoder(onText, { maxLine: maxPayload, budget, evictionListener });
  },
};

export function createLineServer(options: TcpAdapterOptions): net.Server {
  return createTcpServer(lineCodec, options);
}
