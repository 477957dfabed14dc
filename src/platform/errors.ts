// AppError, its factories, and the one mapper from any thrown value to a wire error.
import {
  CheckConstraintViolationException, ForeignKeyConstraintViolationException, UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ZodError } from 'zod';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../contract/error-codes.ts';

export class AppError extends Error {
  readonly code: ErrorCode;

  readonly details: ErrorBody['details'];

  constructor(code: ErrorCode, message: string, details?: ErrorBody['details']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }

  static validation(message: string) { return new AppError('VALIDATION', message); }
  static unauthorized(message = 'missing or invalid credentials') { return new AppError('UNAUTHORIZED', message); }
  static forbidden(message = 'not allowed for this role') { return new AppError('FORBIDDEN', message); }
  /** Never says whether the thing exists in another tenant. */
  static notFound(what: string) { return new AppError('NOT_FOUND', `${what} not found`); }
  /** A contact merged into another: NOT_FOUND, with the survivor to go to. */
  static merged(what: string, survivorId: string) { return new AppError('NOT_FOUND', `${what} was merged into ${survivorId}`, { mergedInto: survivorId }); }
  static conflict(message: string) { return new AppError('CONFLICT', message); }
  static payloadTooLarge(message = 'payload too large') { return new AppError('PAYLOAD_TOO_LARGE', message); }
  static rateLimited(message = 'too many requests') { return new AppError('RATE_LIMITED', message); }
  static internal() { return new AppError('INTERNAL', 'internal error'); }
}

/** At most this many issues, and this many unknown keys, are named: an error never grows with the input. */
const MAX_ISSUES = 10;
const MAX_KEYS = 5;
const MAX_MESSAGE = 1000;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describeIssue(issue: ZodError['issues'][number]): string {
  const where = issue.path.length ? clip(issue.path.map(String).join('.'), 100) : '(root)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.slice(0, MAX_KEYS).map((k) => `"${clip(k, 40)}"`).join(', ');
    const more = issue.keys.length > MAX_KEYS ? ` and ${issue.keys.length - MAX_KEYS} more` : '';
    return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${more}`;
  }
  return `${where}: ${clip(issue.message, 200)}`;
}

/** Readable one-line summary of the zod issues, e.g. `name: Required; role: Invalid option`. */
export function describeZodError(err: ZodError): string {
  const shown = err.issues.slice(0, MAX_ISSUES).map(describeIssue);
  if (err.issues.length > MAX_ISSUES) shown.push(`and ${err.issues.length - MAX_ISSUES} more problems`);
  return clip(shown.join('; '), MAX_MESSAGE);
}

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';
const PG_CHECK_VIOLATION = '23514';
const PG_INVALID_TEXT = '22P02';

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique key refused the write (two requests raced for the same row, or a name is taken). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof UniqueConstraintViolationException || (err as { name?: string }).name === 'UniqueConstraintViolationException'
    || pgCode(err) === PG_UNIQUE_VIOLATION;
}

/**
 * Maps anything thrown to an AppError. `unexpected` is true when the caller should log the
 * original error with its stack (the client only ever sees a generic INTERNAL message).
 */
export function toAppError(err: unknown): { error: AppError; unexpected: boolean } {
  if (err instanceof AppError) return { error: err, unexpected: false };
  if (err instanceof ZodError) return { error: AppError.validation(describeZodError(err)), unexpected: false };
  if (err instanceof UniqueConstraintViolationException) return { error: AppError.conflict('already exists'), unexpected: false };
  if (err instanceof ForeignKeyConstraintViolationException) return { error: AppError.notFound('referenced record'), unexpected: false };
  if (err instanceof CheckConstraintViolationException) return { error: AppError.validation('invalid value'), unexpected: false };
  switch (pgCode(err)) {
    case PG_UNIQUE_VIOLATION: return { error: AppError.conflict('already exists'), unexpected: false };
    case PG_FOREIGN_KEY_VIOLATION: return { error: AppError.notFound('referenced record'), unexpected: false };
    case PG_CHECK_VIOLATION:
    case PG_INVALID_TEXT: return { error: AppError.validation('invalid value'), unexpected: false };
  }
  return { error: AppError.internal(), unexpected: true };
}
