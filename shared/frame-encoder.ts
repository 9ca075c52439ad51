import { FRAME_HEADER_BYTES } from './limits.js';

const utf8 = new TextEncoder();

/**
 * Builds one wire frame: 4-byte big-endian length, then the UTF-8 body. Pure: writing the frame
 * is the connection's job, and a broadcast builds it once for all framed members.
 */
export function encodeFrame(payload: string): Uint8Array {
  const body = utf8.encode(payload);
  const frame = new Uint8Array(FRAME_HEADER_BYTES + body.length);
  new DataView(frame.buffer, frame.byteOffset, FRAME_HEADER_BYTES).setUint32(0, body.length, false);
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

/** Frame header alone, for callers that already hold the body bytes. */
export function encodeFrameHeader(length: number): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, length, false);
  return header;
}
