import type { ReceiveSink } from './bench-client.js';
import { TcpBenchClient } from './tcp-client-base.js';

const LF = 0x0a;

/** A client of the line port, as netcat is: one line per message each way. */
export class LineClient extends TcpBenchClient {
  readonly kind = 'line' as const;
  private pending: Buffer | null = null;

  static connect(index: number, port: number, sink: ReceiveSink): Promise<LineClient> {
    return new LineClient(index, port, sink).connected();
  }

  send(text: string): void {
    this.socket.write(`${text}\n`);
  }

  protected split(chunk: Buffer): void {
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    for (let lf = buf.indexOf(LF, offset); lf !== -1; lf = buf.indexOf(LF, offset)) {
      this.onPayload(buf, offset, lf);
      offset = lf + 1;
    }
    this.pending = offset === buf.length ? null : Buffer.from(buf.subarray(offset));
  }
}
