// Transactions run their named statements on generic plans (tenant-transaction.ts), and a connection keeps a plan
// until a table it reads gets new statistics. A plan made while a table was small stays in use while the table grows.
// Example: on a new deployment, the drain's stamp was planned over empty tables. It then read every conversation of
// the tenant on each drain, so each creation cost more than the one before, until autovacuum analyzed the table.
// Autovacuum does that only after a tenth of growth and at most once a minute.
// This job analyzes a table itself once it holds more than twice the rows of its last statistics, which makes every
// connection plan again with sizes of the right order. That is a few analyzes between empty and a million rows.
// Autovacuum keeps doing the rest.
import type { SystemTransactions } from './tenant-transaction.ts';

/** Below this many rows any plan is cheap: a table is left to autovacuum until it holds this many. */
export const MIN_ROWS = 500;
/** Any constant: one node at a time analyzes (the others find the statistics new). */
const ANALYZE_LOCK = 7_314_159_266;

/** Tables of the schema that hold more than twice the rows their statistics say (a table never analyzed counts as none). */
const OUTGROWN = `
  select c.relname as name from pg_class c join pg_stat_user_tables s on s.relid = c.oid
  where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
    and s.n_live_tup >= ? and s.n_live_tup > 2 * greatest(c.reltuples, 0)
  order by c.relname`;

/** Analyzes the tables that have outgrown their statistics; answers their names. */
export async function refreshOutgrownStatistics(system: SystemTransactions): Promise<string[]> {
  return system(async (tx) => {
    const [{ locked }] = await tx.query<{ locked: boolean }>('select pg_try_advisory_xact_lock(?) as locked', [ANALYZE_LOCK]);
    if (!locked) return [];
    const tables = (await tx.query<{ name: string }>(OUTGROWN, [MIN_ROWS])).map((t) => t.name);
    for (const name of tables) await tx.query(`analyze "${name.replaceAll('"', '""')}"`);
    return tables;
  });
}
