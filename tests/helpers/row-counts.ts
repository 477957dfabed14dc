// Counts and digests of every table's rows, to prove that a refused request wrote nothing.
import type { MikroORM } from '@mikro-orm/core';

type Connection = ReturnType<MikroORM['em']['getConnection']>;

async function tableNames(conn: Connection): Promise<string[]> {
  const tables = await conn.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'mikro_orm_migrations' order by table_name`,
  );
  return tables.map((t: { table_name: string }) => t.table_name);
}

export async function rowCounts(orm: MikroORM): Promise<Record<string, number>> {
  const conn = orm.em.fork().getConnection();
  const counts: Record<string, number> = {};
  for (const table of await tableNames(conn)) {
    const [row] = await conn.execute<{ n: string | number }[]>(`select count(*) as n from "${table}"`);
    counts[table] = Number(row.n);
  }
  return counts;
}

/** A digest of every row of every table (but users' last presence): proves a refused request changed nothing, not only that it added nothing. */
export async function tableDigests(orm: MikroORM): Promise<Record<string, string>> {
  const conn = orm.em.fork().getConnection();
  const digests: Record<string, string> = {};
  for (const table of await tableNames(conn)) {
    // A user's last presence moves whenever anyone connects or drops: the state of a session, not data.
    const [row] = await conn.execute<{ d: string | null }[]>(
      `select md5(string_agg(r, '|' order by r)) as d from (select (to_jsonb(t) - 'presence' - 'presence_changed_at')::text as r from "${table}" t) x`);
    digests[table] = row.d ?? 'empty';
  }
  return digests;
}
