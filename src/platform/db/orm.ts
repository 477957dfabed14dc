// Opens the ORM on PostgreSQL (DATABASE_URL) or embedded PGlite (DATA_DIR), and applies migrations.
import { join, resolve } from 'node:path';
import type { MikroORM, Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { allEntities } from '../../../entities/index.ts';
import { prepareDataDir } from './data-dir.ts';

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

/** ORMs on the embedded database (see migrate). */
const embedded = new WeakSet<MikroORM>();

/**
 * How long an unused PostgreSQL connection stays open. A new one is a new backend that plans every statement afresh
 * (several ms each for the drain's and the SLA tick's); with the driver's 10 s, an idle node's jobs kept opening them.
 */
const IDLE_CONNECTION_MS = 60_000;

export async function openOrm(target: DatabaseTarget): Promise<MikroORM> {
  if (target.databaseUrl) {
    const { MikroORM: PostgresOrm } = await import('@mikro-orm/postgresql');
    const pool = { min: 0, max: target.poolMax ?? 20, idleTimeoutMillis: IDLE_CONNECTION_MS };
    return PostgresOrm.init({ ...baseOptions(), clientUrl: target.databaseUrl, pool });
  }
  if (target.dataDir !== ':memory:') await prepareDataDir(target.dataDir);
  const { MikroORM: PgliteOrm } = await import('@mikro-orm/pglite');
  const orm = await PgliteOrm.init({ ...baseOptions(), dbName: pgliteLocation(target.dataDir) });
  embedded.add(orm);
  return orm;
}

/** Any constant: the key of the advisory lock that lets one node at a time migrate. */
const MIGRATION_LOCK = 7_314_159_265;

/**
 * Applies pending migrations; answers the names of those it applied. Nodes starting together on an empty
 * database take turns under a transaction-scoped advisory lock, so the later ones find the work done.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  // The embedded database has one process and one connection: nothing to race, and nothing to wait on.
  if (embedded.has(orm)) return (await orm.migrator.up()).map((m) => m.name);
  const connection = orm.em.getConnection();
  return connection.transactional(async (trx) => {
    await connection.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK], 'all', trx);
    const applied = await orm.migrator.up({ transaction: trx });
    return applied.map((m) => m.name);
  });
}
