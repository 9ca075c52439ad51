import type { BenchClient, ClientKind, ReceiveSink } from '../clients/bench-client.js';
import { FramedClient } from '../clients/framed-client.js';
import { LineClient } from '../clients/line-client.js';
import { NatsClient } from '../clients/nats-client.js';
import { SocketIoClient } from '../clients/socket-io-client.js';
import { WsClient } from '../clients/ws-client.js';
import type { Endpoint } from './protocol.js';

/** One client of `kind` to the endpoint's server; throws when the server has no such transport. */
export function connectClient(endpoint: Endpoint, kind: ClientKind, index: number, sink: ReceiveSink): Promise<BenchClient> {
  switch (endpoint.server) {
    case 'switchboard':
      if (kind === 'tcp') return FramedClient.connect(index, endpoint.tcp, sink);
      if (kind === 'line') return LineClient.connect(index, endpoint.line, sink);
      if (kind === 'ws') return WsClient.connect(index, endpoint.http, sink);
      break;
    case 'nats':
      if (kind === 'nats') return NatsClient.connect(index, endpoint.port, endpoint.subject, sink);
      break;
    case 'socket.io':
      if (kind === 'sio') return SocketIoClient.connect(index, endpoint.port, sink);
      break;
  }
  throw new Error(`${endpoint.server} has no ${kind} clients`);
}
