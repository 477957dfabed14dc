// Counts every table's rows, to prove that a refused request wrote nothing.
import type { MikroORM } from '@mikro-orm/core';

export async function rowCounts(orm: MikroORM): Promise<Record<string, number>> {
  const conn = orm.em.fork().getConnection();
  const tables = await conn.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'mikro_orm_migrations' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await conn.execute<{ n: string | number }[]>(`select count(*) as n from "${table_name}"`);
    counts[table_name] = Number(row.n);
  }
  return counts;
}
