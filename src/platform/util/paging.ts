// Page sizes that forgive: a limit above the largest page answers the largest page (with hasMore or a cursor
// to go on), as users of paged APIs expect, instead of a VALIDATION error.
import { z } from 'zod';

export const pageLimit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).default(fallback).transform((n) => Math.min(n, max))
    .describe(`page size, ${fallback} by default; above ${max} the largest page (${max}) is answered`);
