// Retention: resolved and closed conversations move to the archive once their tenant's retention has passed
// since their resolution (`tenants.retention_conversations_days`, 180 by default, null for never). Archived
// conversations leave the working lists and stay readable (GET /v1/archive/conversations). In batches across
// tenants; the rows of a batch are claimed with SKIP LOCKED, so nodes that run the job at once split the work
// and each conversation is archived, and put on its record's timeline, exactly once.
import { statement } from '../../platform/db/statement.ts';
import type { SystemTransactions } from '../../platform/db/tenant-transaction.ts';

export const ARCHIVE_BATCH = 500;
/** A run archives at most this many batches; a longer backlog continues at the next run. */
const MAX_BATCHES = 200;

const ARCHIVE_DUE = statement('switchboard_archive_due_v1', `
  with due as (
    select c.id from conversations c join tenants t on t.id = c.tenant_id
    where c.status in ('resolved', 'closed') and c.archived_at is null and t.retention_conversations_days is not null
      and c.resolved_at < :now::timestamptz - make_interval(days => t.retention_conversations_days)
    order by c.resolved_at limit ${ARCHIVE_BATCH} for update of c skip locked
  ),
  archived as (
    update conversations c set archived_at = :now::timestamptz from due where c.id = due.id
    returning c.id, c.tenant_id, c.entity_type, c.entity_id
  ),
  entries as (
    insert into activities (id, tenant_id, entity_type, entity_id, conversation_id, kind, ref_id, actor_id, data, occurred_at)
    select gen_random_uuid(), a.tenant_id, coalesce(a.entity_type, 'conversation'), coalesce(a.entity_id, a.id::text), a.id,
      'conversation.archived', a.id, null, null, :now::timestamptz
    from archived a
  )
  select count(*)::int as n from archived`);

/** Archives what is due at `now`; answers how many conversations it archived. */
export async function archiveDue(transactions: SystemTransactions, now = new Date()): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const [{ n }] = await transactions((tx) => tx.run<{ n: number }>(ARCHIVE_DUE, { now }));
    total += n;
    if (n < ARCHIVE_BATCH) break;
  }
  return total;
}
