// One SLA tick: claim the conversations whose next check has come (one indexed query that reads only
// those, FOR UPDATE SKIP LOCKED so that nodes ticking together split them), then in one more statement insert
// their warnings and breaches, whose unique key lets each happen once (with the webhook deliveries of new
// breaches), and stamp breach times and next checks; commit, then publish the alerts that were new.
// Two prepared statements per batch, whatever its size; a few batches run at once, as nodes would.
import type { ConversationDto } from '../src/contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../src/model/conversation.mapper.ts';
import { statement } from '../src/platform/db/statement.ts';
import { isoOrNull } from '../src/platform/util/iso.ts';
import type { SystemTransactions, Tx } from '../src/platform/db/tenant-transaction.ts';
import type { DomainEvent, EventBus } from '../src/platform/events/domain-events.ts';
import { outboxInsert } from '../entities/webhook-outbox.ts';
import { stateOf } from './clocks.ts';
import { dueAlerts, nextCheckAt, type DueAlert, type SlaState } from './evaluate.ts';

export const TICK_BATCH = 500;
/** The first batch of a tick, alone: small, so that a backlog starts draining in parallel sooner. */
const FIRST_BATCH = 100;

type Alert = Extract<DomainEvent, { type: 'sla.alert' }>;

const BREACHED: Record<DueAlert['kind'], keyof Pick<SlaState, 'firstResponseBreachedAt' | 'nextResponseBreachedAt' | 'resolutionBreachedAt'>> = {
  first_response: 'firstResponseBreachedAt',
  next_response: 'nextResponseBreachedAt',
  resolution: 'resolutionBreachedAt',
};

interface Planned {
  conversation: ReturnType<typeof conversationFromRow>;
  state: SlaState;
  due: DueAlert[];
}

const claim = (limit: number) => statement(`switchboard_sla_claim_${limit}_v1`, `
  select * from conversations where sla_next_check_at <= :now::timestamptz
  order by sla_next_check_at limit ${limit} for update skip locked`);
const CLAIMS = { first: claim(FIRST_BATCH), next: claim(TICK_BATCH) };

// One statement writes a batch: its warnings and breaches (the unique key lets each happen once; the webhook
// deliveries of new breaches go with them) and each conversation's breach times and next check. The batch travels
// as one JSON parameter (jsonb_to_recordset), one entry per conversation with its alerts, so a conversation's
// columns go once, not once per alert. Sets updated_at itself, so the row trigger that keeps it is not called
// once per row.
const WRITE_BATCH = statement('switchboard_sla_write_v1', `
  with p as (
    select * from jsonb_to_recordset(:plans::jsonb) as p(id uuid, tenant_id uuid, policy_id uuid, assignee_id uuid,
      fr timestamptz, nr timestamptz, res timestamptz, next_check timestamptz, alerts jsonb)
  ),
  e as (
    insert into sla_events (id, tenant_id, conversation_id, policy_id, kind, type, cycle, due_at, occurred_at, assignee_id, created_at)
    select gen_random_uuid(), p.tenant_id, p.id, p.policy_id, a.kind, a.type, a.cycle, a.due_at, :now::timestamptz, p.assignee_id, :now::timestamptz
    from p cross join jsonb_to_recordset(p.alerts) as a(kind text, type text, cycle int, due_at timestamptz)
    on conflict (conversation_id, kind, type, cycle) do nothing
    returning id, tenant_id, conversation_id, kind, type, cycle
  ),
  d as (${outboxInsert('sla.breached', "(select * from e where type = 'breach')", 'id', 'conversation_id', 'clock_timestamp()')}),
  u as (
    update conversations c set
      first_response_breached_at = p.fr, next_response_breached_at = p.nr, resolution_breached_at = p.res,
      sla_next_check_at = p.next_check, updated_at = :now::timestamptz
    from p where c.id = p.id
  )
  select conversation_id, kind, type, cycle from e`);

/** Writes the batch; answers the alerts that were new (`conversation|kind|type|cycle`). */
async function writeBatch(tx: Tx, plans: Planned[], now: Date): Promise<Set<string>> {
  const entries = plans.map(({ conversation: c, state: s, due }) => ({
    id: c.id, tenant_id: c.tenant, policy_id: c.slaPolicy ?? null, assignee_id: c.assignee ?? null,
    fr: isoOrNull(s.firstResponseBreachedAt), nr: isoOrNull(s.nextResponseBreachedAt), res: isoOrNull(s.resolutionBreachedAt), next_check: isoOrNull(s.slaNextCheckAt),
    alerts: due.map((d) => ({ kind: d.kind, type: d.type, cycle: d.cycle, due_at: d.dueAt.toISOString() })),
  }));
  const rows = await tx.runLast<{ conversation_id: string; kind: string; type: string; cycle: number }>(WRITE_BATCH, { now, plans: JSON.stringify(entries) });
  return new Set(rows.map((r) => `${r.conversation_id}|${r.kind}|${r.type}|${r.cycle}`));
}

/** One batch in one transaction; answers the alerts that were new and the conversations they changed. */
async function checkBatch(tx: Tx, now: Date, first: boolean): Promise<{ alerts: Alert[]; conversations: Map<string, ConversationDto>; claimed: number }> {
  const rows = await tx.run<Record<string, unknown>>(first ? CLAIMS.first : CLAIMS.next, { now });
  const plans: Planned[] = rows.map((row) => {
    const conversation = conversationFromRow(row);
    const state = stateOf(conversation);
    const due = dueAlerts(state, now);
    for (const d of due) if (d.type === 'breach') state[BREACHED[d.kind]] = d.dueAt;
    state.slaNextCheckAt = nextCheckAt(state, now);
    return { conversation, state, due };
  });
  if (!plans.length) return { alerts: [], conversations: new Map(), claimed: 0 };
  const fresh = await writeBatch(tx, plans, now);
  const alerts: Alert[] = [];
  const conversations = new Map<string, ConversationDto>();
  for (const { conversation: c, state, due } of plans) {
    let changed = false;
    for (const d of due) {
      if (!fresh.has(`${c.id}|${d.kind}|${d.type}|${d.cycle}`)) continue; // flagged before: alerted once already
      const dueAt = d.dueAt.toISOString();
      alerts.push({
        type: 'sla.alert', tenantId: c.tenant, alert: d.type, conversationId: c.id, kind: d.kind, dueAt,
        breachedAt: d.type === 'breach' ? dueAt : null, assigneeId: c.assignee ?? null, policyId: c.slaPolicy ?? null,
      });
      changed = true;
    }
    if (!changed) continue;
    // The row as the batch statement left it: its breach times, and the tick's time as its update time.
    c.firstResponseBreachedAt = state.firstResponseBreachedAt;
    c.nextResponseBreachedAt = state.nextResponseBreachedAt;
    c.resolutionBreachedAt = state.resolutionBreachedAt;
    c.updatedAt = now;
    conversations.set(c.id, toConversationDto(c));
  }
  return { alerts, conversations, claimed: plans.length };
}

/** A tick drains what is due in batches, up to this many (20,000 conversations; a longer backlog spreads over ticks). */
const MAX_BATCHES_PER_TICK = 40;
/** Batches under way at once: while the database writes one, this node plans the next (SKIP LOCKED keeps them apart). */
const PARALLEL_BATCHES = 3;

/** Runs one tick; answers how many alerts it raised. Rows are read across tenants (no tenant filter). */
export async function tick(transactions: SystemTransactions, bus: EventBus, now = new Date()): Promise<number> {
  let raised = 0;
  let batches = 0;
  let drained = false;
  const batch = async (first = false) => {
    batches++;
    const { alerts, conversations, claimed } = await transactions((tx) => checkBatch(tx, now, first));
    for (const alert of alerts) bus.publish(alert);
    const tenantOf = new Map(alerts.map((a) => [a.conversationId, a.tenantId]));
    for (const [id, conversation] of conversations) bus.publish({ type: 'conversation.updated', tenantId: tenantOf.get(id)!, conversation });
    raised += alerts.length;
    if (claimed < (first ? FIRST_BATCH : TICK_BATCH)) drained = true;
  };
  // One small batch first: nothing due (the common tick) costs one claim. A backlog then drains in parallel.
  await batch(true);
  const worker = async () => { while (!drained && batches < MAX_BATCHES_PER_TICK) await batch(); };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
  return raised;
}
