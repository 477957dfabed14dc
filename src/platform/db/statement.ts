// SQL with named parameters (`:name`, casts `::type` untouched), compiled once into `$n` placeholders for a named
// statement, on PostgreSQL and on the embedded database alike (each name bound once). Callers bind by name, never
// by position.

export interface Statement {
  /** The prepared statement's name on a PostgreSQL connection. */
  name: string;
  /** `$1`, `$2`… in order of first appearance. */
  text: string;
  /** Names in `$n` order. */
  names: string[];
}

const PARAM = /(?<![:\w]):([a-z_][a-z0-9_]*)/gi;

export function statement(name: string, sql: string): Statement {
  const names: string[] = [];
  const text = sql.replace(PARAM, (_, param: string) => {
    if (!names.includes(param)) names.push(param);
    return `$${names.indexOf(param) + 1}`;
  });
  return { name, text, names };
}

/** The values of `params` in the order the names ask; a name without a value is a bug, not a null. */
export function valuesFor(names: string[], params: Record<string, unknown>): unknown[] {
  return names.map((n) => {
    if (!(n in params)) throw new Error(`statement parameter :${n} has no value`);
    return params[n];
  });
}

/** `?` placeholders as `$1`, `$2`… (a Tx.query text, for a driver that binds its parameters). */
export function dollarPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}
