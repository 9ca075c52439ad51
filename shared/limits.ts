/** Defaults shared by server, CLI client and page, so every side agrees on the wire's limits. */

/** The seed's framed TCP port. */
export const DEFAULT_TCP_PORT = 12345;
/** Line (netcat/telnet) port: the next one up. */
export const DEFAULT_LINE_PORT = 12346;
/** HTTP: the page, /ws, /healthz and /metrics. */
export const DEFAULT_HTTP_PORT = 8080;
/** Largest payload (framed body, line, or WebSocket message) in bytes. */
export const DEFAULT_MAX_PAYLOAD = 64 * 1024;
/** Size of the framed protocol's length header. */
export const FRAME_HEADER_BYTES = 4;
/** Largest length a 4-byte unsigned header can carry. */
export const MAX_FRAME_LENGTH = 0xffff_ffff;
/**
 * Members named in a welcome, a `members` reply and `/who`; past it they say how many in all.
 * Sending every joiner the whole list costs N²/2 when N pages connect at once (a restart).
 */
export const MEMBER_LIST_MAX = 200;
/** Nickname length bounds, in characters (code points). */
export const NICK_MIN_LENGTH = 1;
export const NICK_MAX_LENGTH = 32;
