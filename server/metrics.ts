import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { TRANSPORTS, type Transport, perTransport } from '../shared/events.js';
import type { InputBudget } from '../shared/input-budget.js';
import type { Hub } from './hub/hub.js';
import type { ClusterLink } from './hub/cluster-link.js';
import { DROP_REASONS, type OutputPolicy } from './output/output-policy.js';
import type { TrafficStats } from './stats.js';

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
  const seen = perTransport();
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
export function createMetrics(hub: Hub, stats: TrafficStats, policy: OutputPolicy, link: ClusterLink | null = null, inputBudget: InputBudget | null = null): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_process_' });

  new Gauge({
    name: 'switchboard_connections',
    help: 'Open connections (room members) per transport',
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      const counts = hub.countByTransport();
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
  new Gauge({
    name: 'switchboard_rooms',
    help: 'Rooms this instance holds (one gauge, no label per room: room names are unbounded)',
    registers: [registry],
    collect() {
      this.set(hub.rooms.size);
    },
  });
  new Gauge({
    name: 'switchboard_room_memberships',
    help: 'Sessions × rooms: how many room memberships this instance serves',
    registers: [registry],
    collect() {
      let memberships = 0;
      for (const channel of hub.rooms.values()) memberships += channel.members.size;
      this.set(memberships);
    },
  });
  let directSeen = 0;
  new Counter({
    name: 'switchboard_direct_messages_total',
    help: 'Direct messages delivered (or handed to the instance holding the recipient)',
    registers: [registry],
    collect() {
      if (stats.directMessages > directSeen) this.inc(stats.directMessages - directSeen);
      directSeen = stats.directMessages;
    },
  });
  outputMetrics(registry, policy);
  if (inputBudget !== null) {
    new Gauge({
      name: 'switchboard_input_held_bytes',
      help: 'Memory held for unfinished frames and lines over all TCP connections (capped by --max-input-bytes)',
      registers: [registry],
      collect() {
        this.set(inputBudget.held);
      },
    });
  }
  if (link !== null) redisMetrics(registry, link);
  return registry;
}

/** The slow-consumer policy: how much output waits, and who was dropped for what. */
function outputMetrics(registry: Registry, policy: OutputPolicy): void {
  new Gauge({
    name: 'switchboard_output_queued_bytes',
    help: 'Output waiting to be sent, all connections: queued chunks (each shared buffer once) plus socket buffers',
    registers: [registry],
    collect() {
      this.set(policy.queuedBytes);
    },
  });
  new Gauge({
    name: 'switchboard_output_stalled_connections',
    help: 'Connections whose socket held output and took none of it between the last two checks (250 ms apart)',
    registers: [registry],
    collect() {
      this.set(policy.stalledCount);
    },
  });
  const seen: Record<string, number> = {};
  new Counter({
    name: 'switchboard_output_drops_total',
    help: 'Members dropped as too slow, by reason: deadline (stalled), cap (one queue too large), budget (server-wide output)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      for (const reason of DROP_REASONS) {
        const now = policy.drops[reason];
        const before = seen[reason] ?? 0;
        if (now > before) this.inc({ reason }, now - before);
        else if (before === 0) this.inc({ reason }, 0);
        seen[reason] = now;
      }
    },
  });
}

/** The shared room (`--redis`): whether it is reachable, how often it came back, who is elsewhere. */
function redisMetrics(registry: Registry, link: ClusterLink): void {
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
