// What a short transaction's work may do: the statements it runs (tenant-transaction.ts opens and ends it).
import type { Statement } from './statement.ts';

export interface Tx {
  /** A statement with `?` placeholders. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A named statement (see db/statement.ts), prepared where the driver allows. */
  run<T = Record<string, unknown>>(statement: Statement, params: Record<string, unknown>): Promise<T[]>;
  /**
   * The transaction's last statement: on PostgreSQL the commit goes with it, one round trip for both, and it answers
   * once both are done. Nothing runs after it. If the statement fails, PostgreSQL turns the commit into a rollback.
   */
  runLast<T = Record<string, unknown>>(statement: Statement, params: Record<string, unknown>): Promise<T[]>;
}
