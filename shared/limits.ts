/** Defaults shared by server, CLI client and page, so every side agrees on the wire's limits. */

/** The seed's framed TCP port. */
export const DEFAULT_TCP_PORT = 12345;
/** Line (netcat/telnet) port: the next one up. */
export const DEFAULT_LINE_PORT = 12346;
/** HTTP: the page, /ws, /healthz and /metrics. */
export const DEFAULT_HTTP_PORT = 8080;
/** IRC's registered port (`--irc-port`). */
export const DEFAULT_IRC_PORT = 6667;
/** The framed protocol over TLS (`--tls-cert`): ends in 443, as HTTPS's port does. */
export const DEFAULT_TLS_TCP_PORT = 12443;
/** Lines over TLS: the next one up, as the line port is from the framed one. */
export const DEFAULT_TLS_LINE_PORT = 12444;
/** IRC over TLS (`--tls-irc-port`): IRC's customary TLS port (RFC 7194). */
export const DEFAULT_TLS_IRC_PORT = 6697;
/** HTTPS (the page over https, /ws as wss): the customary unprivileged stand-in for 443. */
export const DEFAULT_HTTPS_PORT = 8443;
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
