// Named statements on the embedded database. PGlite's own query() parses and plans every statement afresh, in five
// calls into PostgreSQL, and the ORM writes the parameters into the text, so no two texts are alike: a send's statement
// spent 1.5 ms planning for 1 ms of work. Here a statement is parsed once per database (PostgreSQL keeps it, plan and
// all, like the `pg` driver's named statements on a server) and each call binds, runs and syncs in one message.
// Runs only inside the ORM's transaction on the same database: that transaction holds PGlite's one session, so the
// statement runs in it, under its tenant and role.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { protocol, type PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { TENANT_ROLE, TENANT_SETTING } from '../../../entities/rls.ts';
import { sql } from './sql.ts';
import { statement, valuesFor, type Statement } from './statement.ts';
import type { Tx } from './tx.ts';

type Parser = (value: string, typeId: number) => unknown;

/** How the `pg` driver writes a parameter (its `utils`, which its types do not declare). */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): string | Buffer | null } }).utils.prepareValue;

interface Field { name: string; dataTypeID: number }
interface Message { name: string; fields?: (Field | string | null)[] }

/** Statements already parsed, per database (a reopened ORM is a new PGlite). */
const parsedBy = new WeakMap<PGlite, Set<string>>();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The embedded database under the ORM (MikroORM's PGlite connection lends it). */
export async function nativePglite(orm: MikroORM): Promise<PGlite> {
  const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<PGlite> };
  return connection.getNativeClient();
}

/** A statement and its parameters, written as the `pg` driver writes them on PostgreSQL. */
interface Part { statement: Statement; values: (string | Buffer | null)[] }

const part = (statement: Statement, params: Record<string, unknown>): Part => ({ statement, values: valuesFor(statement.names, params).map(prepareValue) });

// Sets the tenant and its role for the transaction: the ORM's session context does the same with a statement of its
// own ahead of the work; this goes out with the work's first statement instead.
const TENANT_OPENING = statement('switchboard_embedded_tenant_v1',
  `select set_config('${TENANT_SETTING}', :tenant, true), set_config('role', '${TENANT_ROLE}', true)`);

/**
 * Named statements on `pglite`, answering rows as the ORM would (the database's own parsers, by column type).
 * `tx(em, tenantId)`: the Tx of an ORM transaction on `em` (begun without the ORM's session context). With a tenant,
 * the tenant and its role are set by the first statement's message, ahead of it; no statement runs before that.
 */
export function embeddedStatements(pglite: PGlite) {
  let parsed = parsedBy.get(pglite);
  if (!parsed) parsedBy.set(pglite, parsed = new Set());
  const known = parsed;
  const parsers = pglite.parsers as Record<number, Parser | undefined>;

  /** Runs the parts in one message; answers the last one's rows. One failing fails the rest (one sync for all). */
  async function exchange<T>(parts: Part[]): Promise<T[]> {
    const fresh = parts.filter((p) => !known.has(p.statement.name)).map((p) => p.statement);
    const message = concat([
      ...parts.flatMap(({ statement: s, values }) => [
        ...(fresh.includes(s) ? [protocol.serialize.parse({ name: s.name, text: s.text, types: [] })] : []),
        protocol.serialize.bind({ statement: s.name, values }),
        protocol.serialize.describe({ type: 'P' }),
        protocol.serialize.execute({}),
      ]),
      protocol.serialize.sync(),
    ]);
    // Exclusive: no query of PGlite's own is halfway through its messages when these go in. Errors come back as
    // messages, so that a statement that parsed is known as parsed even when binding or running it failed.
    const { messages } = await pglite.runExclusive(() => pglite.execProtocol(message, { syncToFs: false, throwOnError: false })) as { messages: Message[] };
    const parsedNow = messages.filter((m) => m.name === 'parseComplete').length;
    for (const s of fresh.slice(0, parsedNow)) known.add(s.name);
    const failure = messages.find((m) => m.name === 'error');
    if (failure) throw failure;
    return rowsOf<T>(messages.slice(messages.findLastIndex((m) => m.name === 'bindComplete')), parsers);
  }

  return {
    tx(em: EntityManager, tenantId: string | null): Tx {
      let opening: Part | null = tenantId ? part(TENANT_OPENING, { tenant: tenantId }) : null;
      const run: Tx['run'] = (s, params) => {
        const parts = opening ? [opening, part(s, params)] : [part(s, params)];
        opening = null;
        return exchange(parts);
      };
      return {
        async query(text, params = []) {
          if (opening) await exchange([opening]);
          opening = null;
          return sql(em, text, params);
        },
        run,
        // The ORM's transaction commits when the work returns: the last statement is a statement like the others.
        runLast: run,
      };
    },
  };
}

function rowsOf<T>(messages: Message[], parsers: Record<number, Parser | undefined>): T[] {
  let names: string[] = [];
  let types: number[] = [];
  let parse: (Parser | undefined)[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const m of messages) {
    if (m.name === 'rowDescription') {
      const fields = m.fields as Field[];
      names = fields.map((f) => f.name);
      types = fields.map((f) => f.dataTypeID);
      parse = types.map((t) => parsers[t]);
    } else if (m.name === 'dataRow') {
      const cells = m.fields as (string | null)[];
      const row: Record<string, unknown> = {};
      for (let i = 0; i < cells.length; i++) {
        const cell = cells[i];
        const p = parse[i];
        row[names[i]] = cell === null ? null : p ? p(cell, types[i]) : cell;
      }
      rows.push(row);
    }
  }
  return rows as T[];
}
