// The nodes of a statement's plan, from EXPLAIN (FORMAT JSON), flattened: tests that hold a statement to its indexes.
import { valuesFor, type Statement } from '../../src/platform/db/statement.ts';

export interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] }

type Run = (query: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** A named statement in the ORM's execute form: `?` for each `$n`, and its value for each of them. */
export function positional(s: Statement, params: Record<string, unknown>): { query: string; values: unknown[] } {
  const values = valuesFor(s.names, params);
  const at: number[] = [];
  const query = s.text.replace(/\$(\d+)/g, (_, n: string) => {
    at.push(Number(n) - 1);
    return '?';
  });
  return { query, values: at.map((i) => values[i]) };
}

export async function planNodes(run: Run, query: string, params: unknown[]): Promise<PlanNode[]> {
  const [row] = await run(`explain (format json) ${query}`, params);
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => { nodes.push(node); for (const child of node.Plans ?? []) walk(child); };
  walk((row['QUERY PLAN'] as [{ Plan: PlanNode }])[0].Plan);
  return nodes;
}

/** One line per node: what it does, on which relation, through which index and on what condition. */
export const showPlan = (nodes: PlanNode[]): string =>
  nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Index Cond'] ? ` [${n['Index Cond']}]` : ''}`).join('; ');
