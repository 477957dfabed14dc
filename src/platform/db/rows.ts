// Raw SQL rows (snake_case columns) in the shape of the entities' properties, without hydrating entities:
// the hot paths read rows this way to skip the unit of work.
// Column names are few and repeat on every row: converted once each.
const camelCache = new Map<string, string>();
const camel = (column: string) => {
  let name = camelCache.get(column);
  if (name === undefined) camelCache.set(column, name = column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()));
  return name;
};

/** Relation columns are named like the entity's properties (`inbox_id` → `inbox`). */
const RELATIONS: Record<string, string> = {
  tenant_id: 'tenant', inbox_id: 'inbox', contact_id: 'contact', assignee_id: 'assignee', sla_policy_id: 'slaPolicy',
  conversation_id: 'conversation', author_id: 'author', message_id: 'message', owner_id: 'owner', user_id: 'user',
  pinned_by_id: 'pinnedBy', whisper_to_id: 'whisperTo', actor_id: 'actor', campaign_id: 'campaign', granted_by_id: 'grantedBy', created_by_id: 'createdBy', team_id: 'team',
  rule_id: 'rule', acts_as_id: 'actsAs',
};

/**
 * One mapper per column list, compiled to a single object literal: every row of a query then gets the same
 * hidden class with its properties in the object (property by property, an object of fifty columns falls
 * back to a dictionary, and a tick maps thousands of such rows).
 */
type RowMapper = (row: Record<string, unknown>) => Record<string, unknown>;
const mappers = new Map<string, RowMapper>();
const MAX_MAPPERS = 500;

function mapperFor(columns: string[]): RowMapper {
  const key = JSON.stringify(columns);
  let mapper = mappers.get(key);
  if (mapper) return mapper;
  const fields = columns.map((column) => `${JSON.stringify(RELATIONS[column] ?? camel(column))}: row[${JSON.stringify(column)}]`);
  mapper = new Function('row', `return { ${fields.join(', ')} };`) as RowMapper;
  if (mappers.size >= MAX_MAPPERS) mappers.clear();
  mappers.set(key, mapper);
  return mapper;
}

/** The last column list seen: rows come in runs of one query's columns, so most rows match it without a lookup. */
let last: { columns: string[]; mapper: RowMapper } = { columns: [], mapper: () => ({}) };

function sameColumns(row: Record<string, unknown>, columns: string[]): boolean {
  let i = 0;
  for (const column in row) if (columns[i++] !== column) return false;
  return i === columns.length;
}

export function fromRow<T>(row: Record<string, unknown>): T {
  if (!sameColumns(row, last.columns)) {
    const columns = Object.keys(row);
    last = { columns, mapper: mapperFor(columns) };
  }
  return last.mapper(row) as T;
}

const snake = (property: string) => property.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/** `column = ?` pairs and their values for an UPDATE, from entity property names. */
export function setClause(values: Record<string, unknown>): { sql: string; params: unknown[] } {
  const keys = Object.keys(values);
  return { sql: keys.map((k) => `"${snake(k)}" = ?`).join(', '), params: keys.map((k) => values[k]) };
}

/** A json or jsonb value as the driver answers it: parsed already (PostgreSQL) or as text (PGlite). */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
