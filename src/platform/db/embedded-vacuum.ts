// The embedded database has no autovacuum: PGlite runs PostgreSQL as a single process, without the launcher. Dead row
// versions (every send updates its conversation) would stay for the life of the data directory, and the tables and
// their indexes would only grow. This job vacuums a table once its dead rows pass autovacuum's own default threshold
// (50 rows and a fifth of the live ones). VACUUM cannot run inside a transaction, so each goes as a single statement.
// On PostgreSQL autovacuum does this; the job is not scheduled there.
import { statement } from './statement.ts';
import type { SingleStatement } from './tenant-transaction.ts';

const DEAD_ROWS = statement('switchboard_embedded_dead_rows_v1', `
  select relname as name from pg_stat_user_tables
  where schemaname = current_schema() and n_dead_tup > 50 + 0.2 * n_live_tup
  order by relname`);

/** Vacuums the tables whose dead rows passed the threshold; answers their names. */
export async function vacuumDeadRows(single: SingleStatement): Promise<string[]> {
  const tables = (await single<{ name: string }>(DEAD_ROWS, {})).map((t) => t.name);
  // Unnamed: a statement per table is not worth keeping parsed.
  for (const name of tables) await single(statement('', `vacuum "${name.replaceAll('"', '""')}"`), {});
  return tables;
}
