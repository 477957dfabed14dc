import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { ERROR_STATUS } from '../../src/contract/error-codes.ts';
import { AppError, toAppError } from '../../src/platform/errors.ts';

const errors = suite('errors');

errors('codes map to the statuses of PROTOCOL §5', () => {
  assert.equal(ERROR_STATUS, {
    VALIDATION: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409,
    PAYLOAD_TOO_LARGE: 413, RATE_LIMITED: 429, INTERNAL: 500,
  });
  assert.is(AppError.notFound('inbox').status, 404);
  assert.equal(AppError.notFound('inbox').toBody(), { code: 'NOT_FOUND', message: 'inbox not found' });
});

errors('an AppError maps to itself', () => {
  const original = AppError.conflict('taken');
  const { error, unexpected } = toAppError(original);
  assert.is(error, original);
  assert.is(unexpected, false);
});

errors('a ZodError maps to VALIDATION naming the field', () => {
  const result = z.object({ name: z.string() }).safeParse({});
  const { error } = toAppError(result.error);
  assert.is(error.code, 'VALIDATION');
  assert.match(error.message, /name/);
});

errors('a unique violation maps to CONFLICT', () => {
  const err = new UniqueConstraintViolationException(Object.assign(new Error('duplicate key'), { code: '23505' }));
  assert.is(toAppError(err).error.code, 'CONFLICT');
  assert.is(toAppError(Object.assign(new Error('x'), { code: '23505' })).error.code, 'CONFLICT');
});

errors('anything else is INTERNAL with a generic message', () => {
  const { error, unexpected } = toAppError(new Error('connection string postgres://secret@db'));
  assert.is(error.code, 'INTERNAL');
  assert.is(error.message, 'internal error');
  assert.is(unexpected, true);
});

errors.run();
