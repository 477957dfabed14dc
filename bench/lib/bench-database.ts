// A PostgreSQL database of the bench's own (never the tests' `test` database), dropped afterwards.
import pg from 'pg';

const SERVER_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One connection to `url` for `fn`, closed afterwards (the server's database by default). */
export async function withClient<T>(fn: (c: pg.Client) => Promise<T>, url = SERVER_DB): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

export async function benchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const dbName = `sb_bench_${name}_${process.pid}`;
  await withClient((c) => c.query(`create database "${dbName}"`));
  const url = new URL(SERVER_DB);
  url.pathname = `/${dbName}`;
  return { url: url.toString(), drop: () => withClient((c) => c.query(`drop database if exists "${dbName}" with (force)`)).then(() => undefined) };
}
