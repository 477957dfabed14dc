// A short transaction bound to one tenant for the hot paths, on the cheapest road each database offers. On
// PostgreSQL it takes a connection from the ORM's own pool and runs: the opening that begins and sets the tenant and
// role for row-level security (sent with the first statement), prepared statements (planned once per connection, not
// per send), and the commit. On the embedded database it speaks the same protocol to PGlite: named statements parsed
// once, the begin and the tenant and role with the first of them, the commit with the last (embedded-statements.ts).
// Either way the same statements run under the same row-level security.
import type { MikroORM } from '@mikro-orm/core';
import type { Pool, PoolClient } from 'pg';
import { TENANT_ROLE, TENANT_SETTING } from '../../../entities/rls.ts';
import { isUuid } from '../util/uuid.ts';
import { embeddedStatements, nativePglite } from './embedded-statements.ts';
import { dollarPlaceholders, valuesFor, type Statement } from './statement.ts';
import type { Tx } from './tx.ts';

export type { Tx } from './tx.ts';

/** A transaction as one tenant: its rows only, under row-level security. */
export type TenantTransactions = <T>(tenantId: string, work: (tx: Tx) => Promise<T>) => Promise<T>;

/** A transaction across tenants (the SLA engine): the owner's role, no row-level security. */
export type SystemTransactions = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/** One named statement on its own, outside any transaction and across tenants (credential lookups). */
export type SingleStatement = <T = Record<string, unknown>>(statement: Statement, params: Record<string, unknown>) => Promise<T[]>;

export interface Transactions {
  tenant: TenantTransactions;
  system: SystemTransactions;
  single: SingleStatement;
}

/** What the transaction's commit is: not sent yet, or sent with its last statement (Tx.runLast). */
interface Ending { commit: Promise<unknown> | null }

function pgTx(client: PoolClient, prepared: boolean, ending: Ending): Tx {
  const open = () => {
    if (ending.commit) throw new Error('the transaction has ended: runLast was its last statement');
  };
  // Behind a transaction pooler (PgBouncer) a named statement may meet another server connection: unnamed then.
  const send = (s: Statement, params: Record<string, unknown>) => {
    const values = valuesFor(s.names, params);
    return client.query(prepared ? { name: s.name, text: s.text, values } : { text: s.text, values });
  };
  return {
    async query<T>(text: string, params: unknown[] = []) {
      open();
      return (await client.query(dollarPlaceholders(text), params)).rows as T[];
    },
    async run<T>(s: Statement, params: Record<string, unknown>) {
      open();
      return (await send(s, params)).rows as T[];
    },
    async runLast<T>(s: Statement, params: Record<string, unknown>) {
      open();
      // Pipelined (onClient): the commit is on the wire right behind the statement.
      const result = send(s, params);
      const commit = client.query('commit');
      ending.commit = commit;
      commit.catch(() => undefined); // awaited below, or by onClient when the statement failed
      const { rows } = await result;
      await commit;
      return rows as T[];
    },
  };
}

/** The ORM's `pg` pool (MikroORM's PostgreSQL connection lends it). */
export async function nativePool(orm: MikroORM): Promise<Pool> {
  const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<Pool> };
  return connection.getNativeClient();
}

async function onClient<T>(pool: Pool, opening: string, prepared: boolean, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // The driver's pipeline mode, for this transaction only: the opening goes out together with the work's first
  // statement, which PostgreSQL runs right after it, instead of a round trip ahead of it. The ORM, which borrows the
  // same connections, gets them back as it lent them. Fails closed: once `begin` has run, an error in the rest of the
  // opening aborts the transaction that the first statement then meets.
  const pipelined = client as PoolClient & { pipeline: boolean };
  pipelined.pipeline = true;
  let broken = false;
  const ending: Ending = { commit: null };
  try {
    const opened = client.query(opening);
    opened.catch(() => undefined); // awaited below; a failed opening fails the first statement too
    const result = await work(pgTx(client, prepared, ending));
    await opened;
    await (ending.commit ?? client.query('commit'));
    return result;
  } catch (err) {
    // A commit sent with the last statement has ended the transaction (as a rollback if the statement failed): its
    // answer comes first, and the rollback is then a no-op. A connection that cannot even roll back is broken: the
    // pool drops it rather than lend it again.
    await ending.commit?.catch(() => undefined);
    broken = !(await client.query('rollback').then(() => true, () => false));
    throw err;
  } finally {
    pipelined.pipeline = false;
    client.release(broken || undefined);
  }
}

// Named statements run on their generic plan. Left to choose, PostgreSQL kept planning the drain's and the
// notification writer's statements afresh on every call (their parameters are JSON documents and ids, for which
// a custom plan is no better), and planning cost more than running them. The few unnamed statements of these
// transactions are primary-key reads, which a generic plan serves the same. The system transactions (the SLA
// tick, retention) too: over a million conversations PostgreSQL kept choosing a custom plan for the SLA claim and
// planned it on nearly every call (0.9–1.5 ms of planning for 10 µs of work when nothing is due).
const GENERIC_PLANS = `set_config('plan_cache_mode', 'force_generic_plan', true)`;

/** Either road refuses a tenant id that is not a UUID before anything runs (PostgreSQL's writes it inline). */
const checkedTenant = (open: TenantTransactions): TenantTransactions => (tenantId, work) => {
  if (!isUuid(tenantId)) throw new Error('tenant id must be a uuid');
  return open(tenantId, work);
};

export async function createTransactions(orm: MikroORM, options: { postgres: boolean; preparedStatements: boolean }): Promise<Transactions> {
  const pool = options.postgres ? await nativePool(orm) : null;
  if (!pool) {
    // Transactions in PostgreSQL's protocol on the embedded database: named statements parsed once and run on their
    // generic plan, as on PostgreSQL, the begin and the tenant with the first statement, the commit with the last
    // (embedded-statements.ts).
    const pglite = await nativePglite(orm);
    await pglite.exec(`set plan_cache_mode = force_generic_plan`);
    const statements = embeddedStatements(pglite);
    return {
      tenant: checkedTenant((tenantId, work) => statements.transaction(tenantId, work)),
      system: (work) => statements.transaction(null, work),
      single: statements.single,
    };
  }
  const prepared = options.preparedStatements;
  return {
    tenant: checkedTenant((tenantId, work) => {
      // One round trip: the tenant id is a checked UUID and the role a constant, so both are written inline.
      return onClient(pool, `begin; select set_config('${TENANT_SETTING}', '${tenantId}', true), set_config('role', '${TENANT_ROLE}', true), ${GENERIC_PLANS}`, prepared, work);
    }),
    system: (work) => onClient(pool, `begin; select ${GENERIC_PLANS}`, prepared, work),
    single: async <T>(s: Statement, params: Record<string, unknown>) => {
      const values = valuesFor(s.names, params);
      return (await pool.query(prepared ? { name: s.name, text: s.text, values } : { text: s.text, values })).rows as T[];
    },
  };
}
