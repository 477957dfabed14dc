// Opens the ORM on PostgreSQL (DATABASE_URL) or embedded PGlite (DATA_DIR), and applies migrations.
import { join, resolve } from 'node:path';
import type { MikroORM, Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { allEntities } from '../../entities/index.ts';

export const MIGRATIONS_PATH = join(import.meta.dirname, 'migrations');

export interface DatabaseTarget {
  databaseUrl?: string;
  dataDir: string;
  /** Pool size per node on PostgreSQL. */
  poolMax?: number;
}

/** `DATA_DIR=:memory:` keeps the embedded database in memory (tests, demos). */
export function pgliteLocation(dataDir: string): string {
  return dataDir === ':memory:' ? 'memory://' : resolve(dataDir, 'pglite');
}

function baseOptions(): Partial<Options> {
  return {
    entities: allEntities,
    extensions: [Migrator],
    // No schema snapshots: migrating would otherwise write a file per database into the source tree
    // (and fail where the tree is read-only, as in the container); new migrations diff against a migrated database.
    migrations: { path: MIGRATIONS_PATH, emit: 'ts', glob: '!(*.d).ts', transactional: true, allOrNothing: true, silent: true, snapshot: false },
    allowGlobalContext: false,
    // Every tenant-owned table filters on its own tenant_id, so joining relations to filter them too only costs.
    autoJoinRefsForFilters: false,
    // Reads outside a tenant-scoped fork must say so (filters: false); see entities/common.ts.
    ensureDatabase: false,
    debug: false,
  };
}

export async function openOrm(target: DatabaseTarget): Promise<MikroORM> {
  if (target.databaseUrl) {
    const { MikroORM: PostgresOrm } = await import('@mikro-orm/postgresql');
    return PostgresOrm.init({ ...baseOptions(), clientUrl: target.databaseUrl, pool: { min: 0, max: target.poolMax ?? 20 } });
  }
  const { MikroORM: PgliteOrm } = await import('@mikro-orm/pglite');
  return PgliteOrm.init({ ...baseOptions(), dbName: pgliteLocation(target.dataDir) });
}

/** Applies pending migrations; answers the names of those it applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
