import type { ReceiveSink } from './bench-client.js';
import { TcpBenchClient } from './tcp-client-base.js';

/** A client of the framed port: 4-byte big-endian length + UTF-8, plain text out (no client timestamp). */
export class FramedClient extends TcpBenchClient {
  readonly kind = 'tcp' as const;
  private pending: Buffer | null = null;

  static connect(index: number, port: number, sink: ReceiveSink): Promise<FramedClient> {
    return new FramedClient(index, port, sink).connected();
  }

  send(text: string): void {
    const length = Buffer.byteLength(text);
    const frame = Buffer.allocUnsafe(4 + length);
    frame.writeUInt32BE(length, 0);
    frame.write(text, 4, 'utf8');
    this.socket.write(frame);
  }

  protected split(chunk: Buffer): void {
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (buf.length - offset >= 4) {
      const length = buf.readUInt32BE(offset);
      const end = offset + 4 + length;
      if (end > buf.length) break;
      if (length > 0) this.onPayload(buf, offset + 4, end);
      offset = end;
    }
    this.pending = offset === buf.length ? null : Buffer.from(buf.subarray(offset));
  }
}
