/**
 * Named errors with stable codes. Codes are part of the protocol: they travel to clients in
 * WebSocket `error` events and appear in logs, so clients and operators can match on them
 * instead of on wording.
 */
export type ErrorCode =
  | 'SB_ERR_FRAME_TOO_LARGE'
  | 'SB_ERR_INVALID_UTF8'
  | 'SB_ERR_LINE_TOO_LONG'
  | 'SB_ERR_INVALID_EVENT'
  | 'SB_ERR_BINARY_REFUSED'
  | 'SB_ERR_NICK_INVALID'
  | 'SB_ERR_NICK_TAKEN'
  | 'SB_ERR_UNKNOWN_COMMAND'
  | 'SB_ERR_RATE_LIMITED'
  | 'SB_ERR_SLOW_CONSUMER'
  | 'SB_ERR_TOO_MANY_CONNECTIONS'
  | 'SB_ERR_IDLE_TIMEOUT'
  | 'SB_ERR_SHUTTING_DOWN'
  | 'SB_ERR_INTERNAL'
  | 'SB_ERR_HISTORY';

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
