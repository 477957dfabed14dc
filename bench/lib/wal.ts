// PostgreSQL's write-ahead log between two points, read back with pg_walinspect: how many records a bench's
// operations wrote, and to which relation. Every row version, index entry, row lock and commit is a record, so
// the count names the writes an operation makes where CPU alone cannot. (pg_stat_wal would be simpler, but a
// backend reports to it up to ten seconds late, so a five-second round would count another round's writes.)
import { withClient } from './bench-database.ts';

/** WAL records of a window, in all and by relation (a commit, which names none, counts under `Transaction`). */
export interface WalCount { records: number; byRelation: Record<string, number> }

const NONE: WalCount = { records: 0, byRelation: {} };

/** A window's records divided by the operations it held, in all and by relation (three decimals, as the other figures). */
export function perOperation(count: WalCount, ops: number): WalCount {
  const per = (n: number) => Number((n / ops).toFixed(3));
  return { records: per(count.records), byRelation: Object.fromEntries(Object.entries(count.byRelation).map(([relation, n]) => [relation, per(n)])) };
}

export interface WalReader {
  /** The position the log has been flushed to: a window's start or end. */
  position(): Promise<string>;
  /** The records between two positions; relations are named from the bench's database. */
  count(start: string, end: string): Promise<WalCount>;
}

/**
 * A reader on the bench's database `url` (pg_walinspect needs a superuser, as the benches' local server has),
 * or null where the extension cannot be made: the benches then print no WAL figures.
 */
export async function walReader(url: string): Promise<WalReader | null> {
  try {
    await withClient((c) => c.query('create extension if not exists pg_walinspect'), url);
  } catch {
    return null;
  }
  return {
    position: () => withClient(async (c) => (await c.query<{ lsn: string }>('select pg_current_wal_flush_lsn()::text as lsn')).rows[0].lsn, url),
    count: (start, end) => start === end ? Promise.resolve(NONE) : withClient(async (c) => {
      const { rows } = await c.query<{ relation: string; records: string }>(`
        with w as (
          select resource_manager, substring(block_ref from 'blkref #0: rel \\d+/(\\d+)/')::oid as db,
            substring(block_ref from 'blkref #0: rel \\d+/\\d+/(\\d+)')::oid as file
          from pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
        )
        select case when w.file is null then w.resource_manager
            when w.db = (select oid from pg_database where datname = current_database()) then coalesce(r.relname::text, 'another relation')
            else 'another database' end as relation,
          count(*) as records
        from w left join pg_class r on r.relfilenode = w.file
        group by 1`, [start, end]).catch((error: Error) => {
        // The log is flushed up to page boundaries too, so a window of a few bytes may hold the tail of one record
        // and the start of none.
        if (/could not find a valid record after/.test(error.message)) return { rows: [] };
        throw error;
      });
      const byRelation = Object.fromEntries(rows.map((r) => [r.relation, Number(r.records)]));
      return { records: rows.reduce((sum, r) => sum + Number(r.records), 0), byRelation };
    }, url),
  };
}
