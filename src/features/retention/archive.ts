// Retention: resolved and closed conversations move to the archive once their tenant's retention has passed
// since their resolution (`tenants.retention_conversations_days`, 180 by default, null for never). Archived
// conversations (status `archived`) leave the working lists and stay readable (GET /v1/archive/conversations).
// Attachments are archived `tenants.retention_attachments_days` (90 by default, null for never) after they
// arrived: marked, never erased. In batches across tenants; the rows of a batch are claimed with SKIP LOCKED,
// so nodes that run the job at once split the work and each row is archived (and put on its record's
// timeline) exactly once.
import { statement } from '../../platform/db/statement.ts';
import type { SystemTransactions } from '../../platform/db/tenant-transaction.ts';

export const ARCHIVE_BATCH = 500;
/** A run archives at most this many batches; a longer backlog continues at the next run. */
const MAX_BATCHES = 200;

const ARCHIVE_DUE = statement('switchboard_archive_due_v2', `
  with due as (
    select c.id from conversations c join tenants t on t.id = c.tenant_id
    where c.status in ('resolved', 'closed') and c.archived_at is null and t.retention_conversations_days is not null
      and c.resolved_at < :now::timestamptz - make_interval(days => t.retention_conversations_days)
    order by c.resolved_at limit ${ARCHIVE_BATCH} for update of c skip locked
  ),
  archived as (
    update conversations c set archived_at = :now::timestamptz, status = 'archived' from due where c.id = due.id
    returning c.id, c.tenant_id, c.entity_type, c.entity_id
  ),
  entries as (
    insert into activities (id, tenant_id, entity_type, entity_id, conversation_id, kind, ref_id, actor_id, data, occurred_at)
    select gen_random_uuid(), a.tenant_id, coalesce(a.entity_type, 'conversation'), coalesce(a.entity_id, a.id::text), a.id,
      'conversation.archived', a.id, null, null, :now::timestamptz
    from archived a
  )
  select count(*)::int as n from archived`);

const ARCHIVE_ATTACHMENTS = statement('switchboard_archive_attachments_v1', `
  with due as (
    select a.id from attachments a join tenants t on t.id = a.tenant_id
    where a.archived_at is null and t.retention_attachments_days is not null
      and a.created_at < :now::timestamptz - make_interval(days => t.retention_attachments_days)
    order by a.created_at limit ${ARCHIVE_BATCH} for update of a skip locked
  ),
  archived as (update attachments a set archived_at = :now::timestamptz from due where a.id = due.id returning a.id)
  select count(*)::int as n from archived`);

/** Runs one statement in batches until a batch comes back short; answers how many rows it archived. */
async function inBatches(transactions: SystemTransactions, archive: typeof ARCHIVE_DUE, now: Date): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const [{ n }] = await transactions((tx) => tx.run<{ n: number }>(archive, { now }));
    total += n;
    if (n < ARCHIVE_BATCH) break;
  }
  return total;
}

/** Archives what is due at `now`: conversations, then attachments; answers how many of each. */
export async function archiveDue(transactions: SystemTransactions, now = new Date()): Promise<{ conversations: number; attachments: number }> {
  return {
    conversations: await inBatches(transactions, ARCHIVE_DUE, now),
    attachments: await inBatches(transactions, ARCHIVE_ATTACHMENTS, now),
  };
}
