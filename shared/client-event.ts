import type { ClientEvent } from './events.js';
import { InvalidEventError } from './errors.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and validates one WebSocket message from a page. Anything that is not JSON of the
 * ClientEvent schema throws InvalidEventError, which the gateway turns into an `error` event
 * (the connection stays up).
 */
export function parseClientEvent(text: string): ClientEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidEventError('not JSON', { cause });
  }
  if (!isRecord(value)) throw new InvalidEventError('not a JSON object');
  switch (value['type']) {
    case 'send': {
      const messageText = value['text'];
      if (typeof messageText !== 'string') throw new InvalidEventError('"send" needs a string "text"');
      return { type: 'send', text: messageText };
    }
    case 'who':
      return { type: 'who' };
    default:
      throw new InvalidEventError(`unknown type ${JSON.stringify(value['type'] ?? null)}; expected "send" or "who"`);
  }
}
