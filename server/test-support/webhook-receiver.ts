import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER } from '../api/webhooks.js';
import { onceWithin } from './deadline.js';

export interface ReceivedWebhook {
  body: string;
  signature: string | undefined;
}

/** A webhook receiver on port 0: answers each POST with the next status of `statuses` (then 200). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly statuses: number[] = [];
  private readonly server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const signature = request.headers[SIGNATURE_HEADER];
      this.received.push({ body, signature: typeof signature === 'string' ? signature : undefined });
      response.statusCode = this.statuses.shift() ?? 200;
      response.end();
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await onceWithin(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await onceWithin(this.server, 'close');
  }
}
