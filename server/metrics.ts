import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Transport } from '../shared/events.js';
import type { RedisLink } from './cluster/redis-link.js';
import type { Room } from './room/room.js';
import type { TrafficStats } from './stats.js';

const TRANSPORTS: readonly Transport[] = ['tcp', 'line', 'ws'];

/**
 * A counter whose value lives in TrafficStats: on each scrape it adds what grew since the last
 * one, so prom-client keeps counter semantics while the hot path only bumps integers.
 */
function mirroredCounter(
  registry: Registry,
  name: string,
  help: string,
  read: (transport: Transport) => number,
): void {
  const seen: Record<Transport, number> = { tcp: 0, line: 0, ws: 0 };
  new Counter({
    name,
    help,
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      for (const transport of TRANSPORTS) {
        const now = read(transport);
        if (now > seen[transport]) this.inc({ transport }, now - seen[transport]);
        seen[transport] = now;
      }
    },
  });
}

/** One registry per server (not prom-client's global), so several servers in one test process don't clash. */
export function createMetrics(room: Room, stats: TrafficStats, link: RedisLink | null = null): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_process_' });

  new Gauge({
    name: 'switchboard_connections',
    help: 'Open connections (room members) per transport',
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      const counts = room.countByTransport();
      for (const transport of TRANSPORTS) this.set({ transport }, counts[transport]);
    },
  });
  mirroredCounter(registry, 'switchboard_connections_opened_total', 'Connections accepted', (t) => stats.connectionsOpened[t]);
  mirroredCounter(registry, 'switchboard_messages_in_total', 'Messages and commands received', (t) => stats.messagesIn[t]);
  mirroredCounter(registry, 'switchboard_messages_out_total', 'Chat messages delivered (one per recipient)', (t) => stats.messagesOut[t]);
  mirroredCounter(registry, 'switchboard_notices_out_total', 'Server notices delivered', (t) => stats.noticesOut[t]);
  mirroredCounter(registry, 'switchboard_bytes_in_total', 'Bytes received', (t) => stats.bytesIn[t]);
  mirroredCounter(registry, 'switchboard_bytes_out_total', 'Bytes written', (t) => stats.bytesOut[t]);

  const errorsSeen = new Map<string, number>();
  new Counter({
    name: 'switchboard_errors_total',
    help: 'Errors reported to clients, by code',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      for (const [code, now] of stats.errors) {
        const before = errorsSeen.get(code) ?? 0;
        if (now > before) this.inc({ code }, now - before);
        errorsSeen.set(code, now);
      }
    },
  });
  if (link !== null) redisMetrics(registry, link);
  return registry;
}

/** The shared room (`--redis`): whether it is reachable, how often it came back, who is elsewhere. */
function redisMetrics(registry: Registry, link: RedisLink): void {
  new Gauge({
    name: 'switchboard_redis_up',
    help: '1 while the shared room in Redis is reachable; 0 while this instance serves its own members alone',
    registers: [registry],
    collect() {
      this.set(link.up ? 1 : 0);
    },
  });
  let reconnectsSeen = 0;
  new Counter({
    name: 'switchboard_redis_reconnects_total',
    help: 'Times the link to Redis came back after being lost',
    registers: [registry],
    collect() {
      const now = link.health().reconnects;
      if (now > reconnectsSeen) this.inc(now - reconnectsSeen);
      reconnectsSeen = now;
    },
  });
  new Gauge({
    name: 'switchboard_remote_members',
    help: 'Members connected to the other instances of the shared room',
    registers: [registry],
    collect() {
      this.set(link.health().remoteMembers);
    },
  });
}
