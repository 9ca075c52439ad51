import { type Socket, io } from 'socket.io-client';
import type { BenchClient, ReceiveSink } from './bench-client.js';

/** The chat example's event name. */
export const CHAT_EVENT = 'chat message';

/**
 * A socket.io-client on the WebSocket transport only (no long-polling upgrade dance), one
 * connection per client (`forceNew`: socket.io-client would otherwise multiplex every client
 * for the same URL over one connection), no reconnection (a drop is a result, not a retry).
 */
export class SocketIoClient implements BenchClient {
  readonly kind = 'sio' as const;
  bytesIn = 0;
  dropped = false;
  private closing = false;

  private constructor(
    readonly index: number,
    private readonly socket: Socket,
    private readonly sink: ReceiveSink,
  ) {
    socket.on(CHAT_EVENT, this.onChat);
    socket.on('disconnect', this.onDisconnect);
  }

  static async connect(index: number, port: number, sink: ReceiveSink): Promise<SocketIoClient> {
    const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return new SocketIoClient(index, socket, sink);
  }

  send(text: string): void {
    this.socket.emit(CHAT_EVENT, text);
  }

  /** The chat example announces no joins: idle Socket.IO clients get nothing but pings (answered by the library). */
  setReading(): void {}

  async close(): Promise<void> {
    this.closing = true;
    this.socket.disconnect();
  }

  private readonly onChat = (text: unknown): void => {
    if (typeof text !== 'string') return;
    this.bytesIn += text.length;
    this.sink.onMarker(this.index, text);
  };

  private readonly onDisconnect = (): void => {
    if (!this.closing) this.dropped = true;
  };
}
