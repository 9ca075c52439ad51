import type { ClientEvent } from './events.js';
import { InvalidEventError } from './errors.js';

/** What an error about an unknown `type` quotes of it: enough to recognise, never an amplifier. */
const QUOTED_MAX = 40;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quoted(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX)}…` : text;
}

function stringField(event: Record<string, unknown>, type: string, field: string): string {
  const value = event[field];
  if (typeof value !== 'string') throw new InvalidEventError(`"${type}" needs a string "${field}"`);
  return value;
}

function optionalString(event: Record<string, unknown>, type: string, field: string): string | undefined {
  return event[field] === undefined ? undefined : stringField(event, type, field);
}

const TYPES = ['send', 'who', 'join', 'part', 'msg', 'topic', 'rooms', 'nick', 'pass'];

/**
 * Parses and validates one WebSocket message from a page. Anything that is not JSON of the
 * ClientEvent schema throws InvalidEventError, which the gateway turns into an `error` event
 * (the connection stays up). Unknown fields are ignored, so a newer page can talk to this server.
 */
export function parseClientEvent(text: string): ClientEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidEventError('not JSON', { cause });
  }
  if (!isRecord(value)) throw new InvalidEventError('not a JSON object');
  const type = value['type'];
  switch (type) {
    case 'send': {
      const room = optionalString(value, type, 'room');
      return { type, text: stringField(value, type, 'text'), ...(room === undefined ? {} : { room }) };
    }
    case 'who': {
      const room = optionalString(value, type, 'room');
      return room === undefined ? { type } : { type, room };
    }
    case 'join': {
      const room = stringField(value, type, 'room');
      const after = value['after'];
      const epoch = optionalString(value, type, 'epoch');
      if (after === undefined && epoch === undefined) return { type, room };
      if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0 || epoch === undefined) {
        throw new InvalidEventError('"join" resumes with a whole number "after" and a string "epoch", or neither');
      }
      return { type, room, after, epoch };
    }
    case 'part': {
      const reason = optionalString(value, type, 'reason');
      return { type, room: stringField(value, type, 'room'), ...(reason === undefined ? {} : { reason }) };
    }
    case 'msg': {
      const kind = value['kind'];
      if (kind !== undefined && kind !== 'chat' && kind !== 'action') throw new InvalidEventError('"msg" has kind "chat" or "action"');
      return { type, to: stringField(value, type, 'to'), text: stringField(value, type, 'text'), ...(kind === undefined ? {} : { kind }) };
    }
    case 'topic':
      return { type, room: stringField(value, type, 'room'), text: stringField(value, type, 'text') };
    case 'rooms':
      return { type };
    case 'nick':
      return { type, name: stringField(value, type, 'name') };
    case 'pass':
      return { type, password: stringField(value, type, 'password') };
    default:
      throw new InvalidEventError(`unknown type ${quoted(type)}; expected one of ${TYPES.map((name) => `"${name}"`).join(', ')}`);
  }
}
