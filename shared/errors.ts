/**
 * Named errors with stable codes. Codes are part of the protocol: they travel to clients in
 * WebSocket `error` events and appear in logs, so clients and operators can match on them
 * instead of on wording.
 */
export type ErrorCode =
  | 'SB_ERR_FRAME_TOO_LARGE'
  | 'SB_ERR_INVALID_UTF8'
  | 'SB_ERR_LINE_TOO_LONG'
  | 'SB_ERR_INPUT_BUDGET'
  | 'SB_ERR_INVALID_EVENT'
  | 'SB_ERR_BINARY_REFUSED'
  | 'SB_ERR_NICK_INVALID'
  | 'SB_ERR_NICK_TAKEN'
  | 'SB_ERR_UNKNOWN_COMMAND'
  | 'SB_ERR_USAGE'
  | 'SB_ERR_ROOM_INVALID'
  | 'SB_ERR_NOT_IN_ROOM'
  | 'SB_ERR_TOO_MANY_ROOMS'
  | 'SB_ERR_NO_SUCH_MEMBER'
  | 'SB_ERR_TOPIC_TOO_LONG'
  | 'SB_ERR_RATE_LIMITED'
  | 'SB_ERR_SLOW_CONSUMER'
  | 'SB_ERR_TOO_MANY_CONNECTIONS'
  | 'SB_ERR_IDLE_TIMEOUT'
  | 'SB_ERR_SHUTTING_DOWN'
  | 'SB_ERR_INTERNAL'
  | 'SB_ERR_HISTORY'
  /** A TLS client that sent no valid handshake (garbage, a plain-text client, too slow, gone midway). */
  | 'SB_ERR_TLS_HANDSHAKE'
  /** A certificate or key file that cannot be read or used (at start, or at a reload: then the old one stays). */
  | 'SB_ERR_TLS_CREDENTIALS'
  /** The server has a password (`--password`) and the connection's first message was not `/pass` (IRC: no PASS). */
  | 'SB_ERR_PASSWORD_REQUIRED'
  /** `/pass` (IRC PASS, the page's `pass` event) with the wrong server password. */
  | 'SB_ERR_BAD_PASSWORD'
  /** Too many wrong passwords from this address lately: this attempt is refused without being checked. */
  | 'SB_ERR_PASSWORD_LOCKOUT'
  /** `--password-file` cannot be read, or its first line is empty. */
  | 'SB_ERR_PASSWORD_FILE'
  /** A bot API token or webhook given at start cannot be used (bad name, short token, unreadable file, bad URL). */
  | 'SB_ERR_API_CONFIG'
  /** A room operator's command (/op, /kick, /ban, /mute, a locked /topic…) from a member who is not one (IRC 482, 481 for /kill). */
  | 'SB_ERR_NOT_OPERATOR'
  /** A join refused: a ban of that room matches the member's nickname or address (IRC 474). */
  | 'SB_ERR_BANNED'
  /** A line said in a room where the member is muted, or that is moderated (+m) and it is no operator (IRC 404). */
  | 'SB_ERR_MUTED'
  /** `/oper` (IRC OPER) with a name and secret that match no `--admin` (IRC 491). */
  | 'SB_ERR_OPER_FAILED'
  /** A server operator closed this connection (`/kill`, IRC KILL). */
  | 'SB_ERR_KILLED'
  /** `--admin-file` cannot be read, or a line of it or an `--admin` value is not NAME=SECRET. */
  | 'SB_ERR_ADMIN_FILE'
  /** `--accounts`: a nickname registered to an account, taken by a connection not logged in as it (IRC 433). */
  | 'SB_ERR_NICK_REGISTERED'
  /** `/nick` while logged in, to a name that is not the account's (IRC 432). */
  | 'SB_ERR_NICK_LOCKED'
  /** `/login` (IRC SASL) with a name and password that match no account (IRC 904). */
  | 'SB_ERR_LOGIN_FAILED'
  /** `/register` of a name that is an account already (or a look-alike of one). */
  | 'SB_ERR_ACCOUNT_EXISTS'
  /** `/register` with a password shorter than 8 or longer than 256 bytes. */
  | 'SB_ERR_ACCOUNT_PASSWORD'
  /** `/register` or `/login` (IRC AUTHENTICATE) while already logged in (IRC 907). */
  | 'SB_ERR_ALREADY_LOGGED_IN'
  /** `/register` or `/login` on a server without `--accounts`. */
  | 'SB_ERR_NO_ACCOUNTS'
  /** Too many password hashes waiting: try again in a moment. */
  | 'SB_ERR_ACCOUNTS_BUSY'
  /** The account logged in from another connection, which takes its nickname: this one is closed. */
  | 'SB_ERR_LOGGED_IN_ELSEWHERE';

export interface SwitchboardErrorOptions {
  cause?: unknown;
}

/** Base class: every error the protocol can report carries a code and, where relevant, a cause. */
export class SwitchboardError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: SwitchboardErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchboardError';
    this.code = code;
  }
}

/** A frame header announced more bytes than the configured maximum; raised before any body is buffered. */
export class FrameTooLargeError extends SwitchboardError {
  readonly length: number;
  readonly max: number;

  constructor(length: number, max: number) {
    super('SB_ERR_FRAME_TOO_LARGE', `frame of ${length} bytes exceeds the maximum of ${max} bytes`);
    this.name = 'FrameTooLargeError';
    this.length = length;
    this.max = max;
  }
}

/** A payload or line was not valid UTF-8. */
export class InvalidUtf8Error extends SwitchboardError {
  constructor(options?: SwitchboardErrorOptions) {
    super('SB_ERR_INVALID_UTF8', 'payload is not valid UTF-8', options);
    this.name = 'InvalidUtf8Error';
  }
}

/** A line-port line grew past the maximum before its newline arrived. */
export class LineTooLongError extends SwitchboardError {
  readonly max: number;

  constructor(max: number) {
    super('SB_ERR_LINE_TOO_LONG', `line exceeds the maximum of ${max} bytes`);
    this.name = 'LineTooLongError';
    this.max = max;
  }
}

/**
 * The server-wide budget for unfinished input (`--max-input-bytes`) is spent, and this connection
 * holds the most of it (or was closed to make room for another's).
 */
export class InputBudgetError extends SwitchboardError {
  constructor() {
    super('SB_ERR_INPUT_BUDGET', "the server's memory for unfinished messages is full and this connection held the largest one (--max-input-bytes)");
    this.name = 'InputBudgetError';
  }
}

/** A WebSocket message that is not a valid client event. */
export class InvalidEventError extends SwitchboardError {
  constructor(detail: string, options?: SwitchboardErrorOptions) {
    super('SB_ERR_INVALID_EVENT', `invalid event: ${detail}`, options);
    this.name = 'InvalidEventError';
  }
}

/** Type guard usable on anything caught. */
export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return value instanceof SwitchboardError;
}
