import type { Pace } from './generator/protocol.js';
import { type Mix, mixTotal } from './mix.js';
import type { Profile } from './options.js';
import type { RaisedLimit } from './results.js';
import { isSwitchboard, type TargetName } from './targets/target.js';

/** Switchboard's default flood limit (messages/s per connection) that open-loop runs stay under. */
export const DEFAULT_RATE_LIMIT = 20;
/** An open-loop run raises the flood limit when a connection would send more than this share of it. */
const RATE_HEADROOM = 0.75;

export interface FanOutSpec {
  id: string;
  title: string;
  target: TargetName;
  mix: Mix;
  /** Rooms the clients are spread over (rooms.ts); 1: everyone in the default room. */
  rooms: number;
  senders: number;
  perSender: number;
  pace: Pace;
  reps: number;
  warmups: number;
  /** Warm-up runs' messages per sender. */
  warmupPerSender: number;
  raised: RaisedLimit | null;
  /** The single-instance workload a two-instance one is compared with; null for the others. */
  baseline: string | null;
}

export interface IdleSpec {
  id: string;
  title: string;
  target: TargetName;
  mix: Mix;
  raised: RaisedLimit | null;
}

const SATURATING: RaisedLimit = {
  flags: ['--rate-limit', '0'],
  why: 'saturating senders send as fast as the server takes messages, far above the default flood limit of 20 msgs/s per connection, which would refuse nearly all of them (and then disconnect the sender); this measures fan-out, not the limiter',
};

const MANY_CONNECTIONS: RaisedLimit = {
  flags: ['--max-connections-per-ip', '0', '--max-connections', '20000'],
  why: 'every bench connection comes from 127.0.0.1: the default 1000 per IP (and 10000 in total) would refuse most of the thousands of idle connections this run holds',
};

function rateRaise(perSecond: number, senders: number): RaisedLimit | null {
  const perConnection = perSecond / senders;
  if (perConnection <= DEFAULT_RATE_LIMIT * RATE_HEADROOM) return null;
  return {
    flags: ['--rate-limit', '0'],
    why: `${perSecond} msgs/s over ${senders} senders is ${perConnection} msgs/s per connection, at or over ${RATE_HEADROOM * 100} % of the default flood limit (${DEFAULT_RATE_LIMIT}/s), where timer jitter would get messages refused`,
  };
}

/** Saturating fan-out in a room of `mix`, on Switchboard or a peer. */
function saturating(profile: Profile, id: string, title: string, target: TargetName, mix: Mix): FanOutSpec {
  const { senders, perSender, reps, warmups, window } = profile.saturate;
  return {
    id,
    title,
    target,
    mix,
    rooms: 1,
    senders,
    perSender,
    pace: { kind: 'saturate', window },
    reps,
    warmups,
    warmupPerSender: perSender,
    raised: isSwitchboard(target) ? SATURATING : null,
    baseline: null,
  };
}

/** Open loop at `perSecond` in total: every client sends, so each stays far under the flood limit. */
function openLoop(profile: Profile, id: string, title: string, target: TargetName, perSecond: number): FanOutSpec {
  const clients = profile.roomClients;
  const perSender = Math.max(1, Math.round((perSecond * profile.rateSeconds) / clients));
  return {
    id,
    title,
    target,
    mix: target === 'nats' ? { nats: clients } : { tcp: clients },
    rooms: 1,
    senders: clients,
    perSender,
    pace: { kind: 'rate', perSecond },
    reps: 1,
    warmups: 1,
    warmupPerSender: Math.max(1, Math.round((perSecond * profile.rateWarmupSeconds) / clients)),
    raised: isSwitchboard(target) ? rateRaise(perSecond, clients) : null,
    baseline: null,
  };
}

/**
 * `spec` again on two Switchboard instances sharing the room through Redis, the framed clients
 * (and the senders) split half and half: id `<id>-x2`, compared with `spec`.
 */
function onTwoInstances(spec: FanOutSpec): FanOutSpec {
  return { ...spec, id: `${spec.id}-x2`, title: `${spec.title}, two instances through Redis`, target: 'switchboard×2', baseline: spec.id };
}

/**
 * Many small rooms instead of one big one: `rooms.count` rooms of `rooms.members` framed clients,
 * one saturating sender in each, every member in its own room only. Each sender gets as many
 * messages as makes the run's deliveries about those of the single-room saturating run (framed-N),
 * so both last about as long; with the same window per sender, the deliveries in flight are about
 * the same too (rooms × window × (members − 1) against senders × window × (N − 1)).
 */
function manyRooms(profile: Profile): FanOutSpec {
  const { count, members } = profile.rooms;
  const clients = count * members;
  const { senders, perSender, window } = profile.saturate;
  const single = senders * perSender * (profile.roomClients - 1);
  const spec = saturating(profile, `rooms-${clients}`, `framed TCP, ${clients} clients in ${count} rooms of ${members}, saturating`, 'switchboard', { tcp: clients });
  const each = Math.max(1, Math.round(single / (count * (members - 1))));
  return { ...spec, rooms: count, senders: count, perSender: each, warmupPerSender: each, pace: { kind: 'saturate', window } };
}

/**
 * Every fan-out workload (a, b, c, e, f, the two-instance runs and many rooms), each once: later
 * ones reuse earlier results by id.
 */
export function fanOutSpecs(profile: Profile): FanOutSpec[] {
  const n = profile.roomClients;
  const framed = saturating(profile, `framed-${n}`, `framed TCP, ${n} clients, saturating`, 'switchboard', { tcp: n });
  const framedRate = openLoop(profile, `rate-${profile.rate}-framed`, `framed TCP, ${n} clients, ${profile.rate} msgs/s`, 'switchboard', profile.rate);
  const specs: FanOutSpec[] = [
    framed,
    saturating(profile, `nats-${n}`, `NATS, ${n} subscribers, saturating`, 'nats', { nats: n }),
    framedRate,
    openLoop(profile, `rate-${profile.rate}-nats`, `NATS, ${n} subscribers, ${profile.rate} msgs/s`, 'nats', profile.rate),
    onTwoInstances(framed),
    onTwoInstances(framedRate),
    saturating(profile, `ws-${n}`, `WebSocket, ${n} clients, saturating`, 'switchboard', { ws: n }),
    saturating(profile, `socketio-${n}`, `Socket.IO, ${n} clients, saturating`, 'socket.io', { sio: n }),
    saturating(profile, `line-${n}`, `line TCP, ${n} clients, saturating`, 'switchboard', { line: n }),
    saturating(profile, `mixed-${mixTotal(profile.mixed)}`, `mixed room (framed + line + WS), saturating`, 'switchboard', profile.mixed),
  ];
  for (const clients of profile.scaleClients) {
    if (clients === n) continue;
    specs.push(saturating(profile, `framed-${clients}`, `framed TCP, ${clients} clients, saturating`, 'switchboard', { tcp: clients }));
    specs.push(saturating(profile, `nats-${clients}`, `NATS, ${clients} subscribers, saturating`, 'nats', { nats: clients }));
  }
  for (const rate of profile.scaleRates) {
    if (rate === profile.rate) continue;
    specs.push(openLoop(profile, `rate-${rate}-framed`, `framed TCP, ${n} clients, ${rate} msgs/s`, 'switchboard', rate));
    specs.push(openLoop(profile, `rate-${rate}-nats`, `NATS, ${n} subscribers, ${rate} msgs/s`, 'nats', rate));
  }
  specs.push(manyRooms(profile));
  return specs;
}

export function idleSpecs(profile: Profile): IdleSpec[] {
  const { framed, ws, mixed, peers } = profile.idle;
  const third = Math.floor(mixed / 3);
  return [
    { id: 'idle-framed', title: `${framed} idle framed TCP connections`, target: 'switchboard', mix: { tcp: framed }, raised: MANY_CONNECTIONS },
    { id: 'idle-ws', title: `${ws} idle WebSocket connections`, target: 'switchboard', mix: { ws }, raised: MANY_CONNECTIONS },
    {
      id: 'idle-mixed',
      title: `${mixed} idle connections, mixed`,
      target: 'switchboard',
      mix: { tcp: mixed - 2 * third, line: third, ws: third },
      raised: MANY_CONNECTIONS,
    },
    { id: 'idle-nats', title: `${peers} idle NATS subscribers`, target: 'nats', mix: { nats: peers }, raised: null },
    { id: 'idle-socketio', title: `${peers} idle Socket.IO connections`, target: 'socket.io', mix: { sio: peers }, raised: null },
  ];
}
