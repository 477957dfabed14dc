// Transactions on the embedded database, spoken in PostgreSQL's own protocol. Through the ORM, PGlite's query()
// parsed and planned every statement afresh in five calls into PostgreSQL, with the parameters written into the text
// (a send's statement spent 1.5 ms planning for 1 ms of work), and a transaction's begin and commit were two more such
// calls each, behind the ORM's transaction machinery. Here a named statement is parsed once per database (PostgreSQL
// keeps it, plan and all, like the `pg` driver's named statements on a server), and each call sends its statements in
// one message: the begin and the tenant's settings go with the transaction's first statement, the commit with its last
// (Tx.runLast), as on PostgreSQL.
// A transaction holds PGlite's transaction lock from its first statement to its end, as PGlite's own transaction()
// does. The ORM's queries and transactions take the same lock, so none of them runs in the middle of one of these,
// and none may be awaited inside one (it would wait for the lock forever).
import type { MikroORM } from '@mikro-orm/core';
import { protocol, type PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { TENANT_ROLE, TENANT_SETTING } from '../../../entities/rls.ts';
import { dollarPlaceholders, statement, valuesFor, type Statement } from './statement.ts';
import type { Tx } from './tx.ts';

type Parser = (value: string, typeId: number) => unknown;
type Row = Record<string, unknown>;

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

/** A statement to run and its parameters, written as the `pg` driver writes them on PostgreSQL. Unnamed (''): parsed each time. */
interface Part { name: string; text: string; values: (string | Buffer | null)[] }

const part = (s: Statement, params: Record<string, unknown> = {}): Part =>
  ({ name: s.name, text: s.text, values: valuesFor(s.names, params).map(prepareValue) });

const BEGIN = part(statement('switchboard_embedded_begin_v1', 'begin'));
const COMMIT = part(statement('switchboard_embedded_commit_v1', 'commit'));
const ROLLBACK = part(statement('switchboard_embedded_rollback_v1', 'rollback'));
// The tenant and its role for the transaction, sent with its first statement (PostgreSQL's road writes the same in
// its opening).
const TENANT_OPENING = statement('switchboard_embedded_tenant_v1',
  `select set_config('${TENANT_SETTING}', :tenant, true), set_config('role', '${TENANT_ROLE}', true)`);

/**
 * Transactions and single statements on `pglite`, answering rows as the ORM would (the database's own parsers, by
 * column type).
 */
export function embeddedStatements(pglite: PGlite) {
  let parsed = parsedBy.get(pglite);
  if (!parsed) parsedBy.set(pglite, parsed = new Set());
  const known = parsed;
  const parsers = pglite.parsers as Record<number, Parser | undefined>;

  /**
   * Sends the segments in one message, each closed by a sync: an error skips the rest of its own segment only, and
   * a later segment still runs (a commit after a failed statement rolls back). Answers the rows of each segment's last
   * statement; throws the first error. Errors come back as messages, so that a statement that parsed is known as
   * parsed even when binding or running it failed.
   */
  async function exchange(segments: Part[][]): Promise<Row[][]> {
    // Exclusive: no query of PGlite's own is halfway through its messages when these go in. What needs parsing is
    // decided inside, so that two exchanges queued together do not both parse the same new statement.
    const { messages, answers } = await pglite.runExclusive(async () => {
      const parsing = segments.map((segment) => segment.filter((p) => !p.name || !known.has(p.name)));
      const message = concat([
        ...segments.flatMap((segment, i) => [
          ...segment.flatMap((p) => [
            ...(parsing[i].includes(p) ? [protocol.serialize.parse({ name: p.name, text: p.text, types: [] })] : []),
            protocol.serialize.bind({ statement: p.name, values: p.values }),
            protocol.serialize.describe({ type: 'P' }),
            protocol.serialize.execute({}),
          ]),
          protocol.serialize.sync(),
        ]),
      ]);
      const { messages } = await pglite.execProtocol(message, { syncToFs: false, throwOnError: false }) as { messages: Message[] };
      // Each segment's answer ends with its sync's readyForQuery; a segment's parses are counted in its own answer.
      const answers: Message[][] = [[]];
      for (const m of messages) {
        answers[answers.length - 1].push(m);
        if (m.name === 'readyForQuery') answers.push([]);
      }
      answers.forEach((answer, i) => {
        const parsedNow = answer.filter((m) => m.name === 'parseComplete').length;
        for (const p of (parsing[i] ?? []).slice(0, parsedNow)) if (p.name) known.add(p.name);
      });
      return { messages, answers };
    });
    const failure = messages.find((m) => m.name === 'error');
    if (failure) throw failure;
    return segments.map((_, i) => rowsOf(answers[i].slice(answers[i].findLastIndex((m) => m.name === 'bindComplete')), parsers));
  }

  /** One transaction: the tenant's (row-level security, its role) or, with none, the owner's across tenants. */
  function transaction<T>(tenantId: string | null, work: (tx: Tx) => Promise<T>): Promise<T> {
    // PGlite's transaction lock, which its transaction() and query() take too (declared by its types).
    return pglite._runExclusiveTransaction(async () => {
      const at: { state: 'idle' | 'open' | 'ended' } = { state: 'idle' };
      const send = async (p: Part, last: boolean): Promise<Row[]> => {
        if (at.state === 'ended') throw new Error('the transaction has ended: runLast was its last statement, or its work has returned');
        const opening = at.state === 'idle' ? [BEGIN, ...(tenantId ? [part(TENANT_OPENING, { tenant: tenantId })] : [])] : [];
        at.state = last ? 'ended' : 'open';
        const [rows] = await exchange(last ? [[...opening, p], [COMMIT]] : [[...opening, p]]);
        return rows;
      };
      const tx: Tx = {
        query: async <R>(text: string, params: unknown[] = []) =>
          await send({ name: '', text: dollarPlaceholders(text), values: params.map(prepareValue) }, false) as R[],
        run: async <R>(s: Statement, params: Record<string, unknown>) => await send(part(s, params), false) as R[],
        runLast: async <R>(s: Statement, params: Record<string, unknown>) => await send(part(s, params), true) as R[],
      };
      try {
        const result = await work(tx);
        if (at.state === 'open') {
          at.state = 'ended';
          await exchange([[COMMIT]]);
        }
        return result;
      } catch (err) {
        if (at.state === 'open') {
          at.state = 'ended';
          await exchange([[ROLLBACK]]).catch(() => undefined);
        }
        throw err;
      } finally {
        at.state = 'ended'; // a statement sent after the work returned would run outside the lock
      }
    });
  }

  return {
    transaction,
    /** One statement on its own, in the implicit transaction its sync commits. */
    single: async <T>(s: Statement, params: Record<string, unknown>): Promise<T[]> =>
      (await pglite._runExclusiveTransaction(() => exchange([[part(s, params)]])))[0] as T[],
  };
}

function rowsOf(messages: Message[], parsers: Record<number, Parser | undefined>): Row[] {
  let names: string[] = [];
  let types: number[] = [];
  let parse: (Parser | undefined)[] = [];
  const rows: Row[] = [];
  for (const m of messages) {
    if (m.name === 'rowDescription') {
      const fields = m.fields as Field[];
      names = fields.map((f) => f.name);
      types = fields.map((f) => f.dataTypeID);
      parse = types.map((t) => parsers[t]);
    } else if (m.name === 'dataRow') {
      const cells = m.fields as (string | null)[];
      const row: Row = {};
      for (let i = 0; i < cells.length; i++) {
        const cell = cells[i];
        const p = parse[i];
        row[names[i]] = cell === null ? null : p ? p(cell, types[i]) : cell;
      }
      rows.push(row);
    }
  }
  return rows;
}
