import net from 'node:net';
import type { Logger } from 'pino';
import { formatIrcLine } from '../../../shared/irc-message.js';
import type { ConnectionGate } from '../../connection-gate.js';
import type { Hub } from '../../hub/hub.js';
import type { OutputPolicy } from '../../output/output-policy.js';
import type { TrafficStats } from '../../stats.js';
import { peerAddress } from '../peer-address.js';
import { endGracefully } from '../tcp-adapter.js';
import { IrcConnection, type IrcListenerState } from './irc-connection.js';
import { defineIrcForms } from './irc-form.js';

/**
 * Seconds of silence after which a client is sent PING; as long again without any answer and it
 * is closed ("ping timeout"), as ircds do. TCP keepalive alone would take hours to notice.
 */
export const IRC_PING_INTERVAL_MS = 60_000;

export interface IrcServerOptions {
  hub: Hub;
  logger: Logger;
  stats: TrafficStats;
  gate: ConnectionGate;
  policy: OutputPolicy;
  /** `--irc-server-name`: the source of numerics and the host part of every member's mask. */
  serverName: string;
  /** `--irc-network`: ISUPPORT NETWORK and the welcome. */
  network: string;
  /** Tests shorten it. */
  pingIntervalMs?: number;
}

/** Turns a connection away before it registers, the way an ircd does: one ERROR line, then close. */
function refuse(socket: net.Socket, options: IrcServerOptions, code: 'SB_ERR_TOO_MANY_CONNECTIONS' | 'SB_ERR_SHUTTING_DOWN', why: string): void {
  options.stats.countError(code);
  options.logger.warn({ transport: 'irc', from: peerAddress(socket.remoteAddress, socket.remotePort), code }, `connection refused: ${why}`);
  socket.on('error', function ignoreRefusedSocketError() {});
  if (!options.gate.lingerRefused(socket)) {
    socket.destroy();
    return;
  }
  socket.write(`${formatIrcLine({ command: 'ERROR', params: [`Closing link: ${why}`] })}\r\n`);
  endGracefully(socket);
}

/**
 * The IRC listener (`--irc-port`): every connection is an IrcConnection on the hub, admitted by
 * the same connection gate as the other transports. One timer pings the silent clients of the
 * whole listener, so idle connections cost no timer each.
 */
export function createIrcServer(options: IrcServerOptions): net.Server {
  const connections = new Set<IrcConnection>();
  const state: IrcListenerState = {
    hub: options.hub,
    logger: options.logger,
    stats: options.stats,
    policy: options.policy,
    serverName: options.serverName,
    network: options.network,
    created: new Date(),
    forms: defineIrcForms(options.serverName),
    away: new Map(),
  };
  const server = net.createServer(function onIrcConnection(socket) {
    if (options.hub.closing) {
      refuse(socket, options, 'SB_ERR_SHUTTING_DOWN', 'server shutting down');
      return;
    }
    const ip = socket.remoteAddress ?? 'unknown';
    const refusal = options.gate.admit(ip);
    if (refusal !== null) {
      refuse(socket, options, 'SB_ERR_TOO_MANY_CONNECTIONS', refusal);
      return;
    }
    const connection = new IrcConnection(socket, state);
    connections.add(connection);
    socket.once('close', function releaseIrcSlot() {
      options.gate.release(ip);
      connections.delete(connection);
    });
  });
  const timer = setInterval(function pingSilentIrcClients() {
    for (const connection of connections) {
      if (connection.pingRound()) options.hub.disconnect(connection.session, 'SB_ERR_IDLE_TIMEOUT', `ping timeout: ${(options.pingIntervalMs ?? IRC_PING_INTERVAL_MS) / 1000} s`);
    }
  }, options.pingIntervalMs ?? IRC_PING_INTERVAL_MS).unref();
  server.on('close', function stopIrcPings() {
    clearInterval(timer);
  });
  server.on('error', function onIrcServerError(error) {
    if (!server.listening) return;
    options.logger.error({ err: error, transport: 'irc' }, 'listener error');
  });
  return server;
}
