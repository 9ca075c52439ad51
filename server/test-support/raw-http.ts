import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { onceWithin, within } from './deadline.js';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP/1.1 GET with the headers exactly as given (a `Host` of our choosing, which fetch does
 * not allow), from `localAddress` (127.0.0.x: each counts as another client IP), on a fresh socket.
 */
export async function rawGet(port: number, path: string, headers: Record<string, string>, localAddress = '127.0.0.1', timeoutMs = 10_000): Promise<RawResponse> {
  const request = http.request({ host: '127.0.0.1', port, path, headers, localAddress, agent: false, timeout: timeoutMs });
  request.on('timeout', function requestTimedOut() {
    request.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`));
  });
  request.end();
  const [response] = (await onceWithin(request, 'response')) as [http.IncomingMessage];
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response) body += chunk as string;
  return { status: response.statusCode ?? 0, headers: response.headers, body };
}

/**
 * Sockets that each sent the start of a request and then nothing (slowloris), from one address.
 * `closed` counts those the server has closed so far.
 */
export class HalfSentRequests {
  readonly sockets: net.Socket[] = [];
  closed = 0;

  private readonly onClose = (): void => {
    this.closed += 1;
  };

  /** Opens `count` of them; resolves once every one is connected (or closed at once by the server). */
  static async open(port: number, count: number, localAddress = '127.0.0.1'): Promise<HalfSentRequests> {
    const requests = new HalfSentRequests();
    const opened: Promise<unknown>[] = [];
    for (let i = 0; i < count; i += 1) {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress });
      socket.on('error', () => undefined);
      socket.once('close', requests.onClose);
      // Flowing, so the server's 408 and FIN are read and 'close' is seen (a paused socket never reads its EOF).
      socket.resume();
      socket.write(`GET /history HTTP/1.1\r\nHost: localhost\r\nX-Slow-${i}: `);
      requests.sockets.push(socket);
      opened.push(Promise.race([once(socket, 'connect'), once(socket, 'close')]));
    }
    await within(Promise.all(opened), `${count} sockets to connect (or be closed)`, 30_000);
    return requests;
  }

  get open(): number {
    return this.sockets.length - this.closed;
  }

  destroy(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}
