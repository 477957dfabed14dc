// Raw SQL through the fork's connection and transaction, for hot paths where the unit of work costs round trips.
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';

export function sql<T = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  return (em as SqlEntityManager).execute<T[]>(query, params as unknown[]) as Promise<T[]>;
}
