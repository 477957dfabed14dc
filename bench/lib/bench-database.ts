// A PostgreSQL database of the bench's own (never the tests' `test` database), dropped afterwards.
import pg from 'pg';

const SERVER_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One connection to `url` for `fn`, closed afterwards (the server's database by default). */
export async function withClient<T>(fn: (c: pg.Client) => Promise<T>, url = SERVER_DB): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

/**
 * The bench's database. `keep`: a fixed name, created only when missing and never dropped, so the next run uses it
 * again (`existed` tells it to skip its seeding); else one of this process's own, dropped by `drop()`.
 */
export async function benchDatabase(name: string, options: { keep?: boolean } = {}): Promise<{ url: string; existed: boolean; drop(): Promise<void> }> {
  const dbName = options.keep ? `sb_bench_${name}_keep` : `sb_bench_${name}_${process.pid}`;
  const existed = Boolean(options.keep) && (await withClient((c) => c.query('select 1 from pg_database where datname = $1', [dbName]))).rows.length > 0;
  if (!existed) await withClient((c) => c.query(`create database "${dbName}"`));
  const url = new URL(SERVER_DB);
  url.pathname = `/${dbName}`;
  const drop = () => withClient((c) => c.query(`drop database if exists "${dbName}" with (force)`)).then(() => undefined);
  return { url: url.toString(), existed, drop: options.keep ? async () => undefined : drop };
}
