import { once } from 'node:events';
import type net from 'node:net';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import { Room } from './room/room.js';
import { createFramedServer } from './transports/framed-tcp.js';
import { createLineServer } from './transports/line-tcp.js';

export interface RunningSwitchboard {
  readonly room: Room;
  /** Actual ports (useful when 0 was asked for). */
  readonly ports: { tcp: number; line: number };
  close(): Promise<void>;
}

/** Remembers open sockets so close() can end them; net.Server alone would wait for every peer. */
function trackConnections(server: net.Server, sockets: Set<net.Socket>): void {
  server.on('connection', function trackSocket(socket: net.Socket) {
    sockets.add(socket);
    socket.once('close', function untrackSocket() {
      sockets.delete(socket);
    });
  });
}

async function listen(server: net.Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no TCP address');
  return address.port;
}

/** Starts the room and every transport on it; resolves once all ports are listening. */
export async function startSwitchboard(config: ServerConfig, logger: Logger): Promise<RunningSwitchboard> {
  const room = new Room({ logger: logger.child({ component: 'room' }) });
  const adapterOptions = { room, logger, maxPayload: config.maxPayload };
  const framed = createFramedServer(adapterOptions);
  const line = createLineServer(adapterOptions);
  const sockets = new Set<net.Socket>();
  trackConnections(framed, sockets);
  trackConnections(line, sockets);
  const ports = {
    tcp: await listen(framed, config.tcpPort, config.host),
    line: await listen(line, config.linePort, config.host),
  };
  logger.info({ host: config.host, ...ports }, `listening: framed tcp ${config.host}:${ports.tcp}, line tcp ${config.host}:${ports.line}`);

  async function close(): Promise<void> {
    const closed = [once(framed, 'close'), once(line, 'close')];
    framed.close();
    line.close();
    for (const socket of sockets) socket.destroy();
    await Promise.all(closed);
  }
  return { room, ports, close };
}
