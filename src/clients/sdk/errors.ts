// Typed errors: the server's codes (docs/realtime.md, Error codes) plus the client's own.
import type { ErrorBody, ErrorCode } from '../../contract/error-codes.ts';

/** `TIMEOUT`: no answer in time; `CLOSED`: the client was closed while the call waited. */
export type ClientErrorCode = ErrorCode | 'TIMEOUT' | 'CLOSED';

export class SwitchboardError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status, for errors of HTTP calls. */
  readonly status?: number;

  constructor(code: ClientErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    this.status = status;
  }

  static from(body: ErrorBody, status?: number): SwitchboardError {
    return new SwitchboardError(body.code, body.message, status);
  }
}

/** Worth another try with the same `clientMessageId`: the send may or may not have been stored. */
export function isRetryable(code: ClientErrorCode): boolean {
  return code === 'TIMEOUT' || code === 'INTERNAL' || code === 'RATE_LIMITED';
}
