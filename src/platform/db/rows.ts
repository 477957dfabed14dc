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

export function fromRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) out[RELATIONS[column] ?? camel(column)] = value;
  return out as T;
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
