import type { RateLimits } from '../../shared/events.js';
import { DEFAULT_MAX_PAYLOAD } from '../../shared/limits.js';

/** What `switchboard connect` learns from the welcome notice of the text wires. */
export interface ServerWelcome {
  /** Stored messages that follow the welcome (the join replay). */
  replayed: number;
  limits: RateLimits;
  maxPayload: number;
}

const WELCOME = /^welcome to .+?, you are \S+;/;
const REPLAYED = /; (\d+) earlier messages? follows?;/;
const MESSAGES = /(\d+) messages\/s \(burst (\d+)\)/;
const BYTES = /(\d+) bytes\/s \(burst (\d+)\)/;
const MAX_PAYLOAD = /(\d+) bytes per message/;

/**
 * Reads the server's welcome notice text, e.g. `welcome to switchboard, you are 127.0.0.1:5000;
 * 1 other member here; 3 earlier messages follow; limits: 20 messages/s (burst 40), 262144
 * bytes/s (burst 262144), 65536 bytes per message; /help for commands`. Null when the text is not
 * a welcome. A limit the welcome does not name is off (an older server names none: then the
 * defaults of shared/limits apply to the payload size only).
 */
export function parseServerWelcome(text: string): ServerWelcome | null {
  if (!WELCOME.test(text)) return null;
  const limitsPart = /; limits: ([^;]*)/.exec(text)?.[1] ?? '';
  const messages = MESSAGES.exec(limitsPart);
  const bytes = BYTES.exec(limitsPart);
  const maxPayload = MAX_PAYLOAD.exec(limitsPart);
  return {
    replayed: Number(REPLAYED.exec(text)?.[1] ?? 0),
    limits: {
      messagesPerSecond: Number(messages?.[1] ?? 0),
      messageBurst: Number(messages?.[2] ?? 0),
      bytesPerSecond: Number(bytes?.[1] ?? 0),
      byteBurst: Number(bytes?.[2] ?? 0),
    },
    maxPayload: Number(maxPayload?.[1] ?? DEFAULT_MAX_PAYLOAD),
  };
}

/** `error: WHY; closing connection`, or the shutdown notice: why the server is about to close us. */
export function closeReasonOf(noticeText: string): string | null {
  const error = /^error: (.*); closing connection$/s.exec(noticeText);
  if (error !== null) return error[1]!;
  if (noticeText === 'server shutting down') return noticeText;
  return null;
}
