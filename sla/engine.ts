// One SLA tick: claim the conversations whose next check has come (one indexed query that reads only
// those, FOR UPDATE SKIP LOCKED so that nodes ticking together split them), insert their warnings and
// breaches in one statement whose unique key lets each happen once (with the webhook deliveries of new
// breaches), stamp breach times and next checks in one more, commit, then publish the alerts that were new.
// Three prepared statements per batch, whatever its size; a few batches run at once, as nodes would.
import type { ConversationDto } from '../src/contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../src/model/conversation.mapper.ts';
import { statement } from '../src/platform/db/statement.ts';
import type { SystemTransactions, Tx } from '../src/platform/db/tenant-transaction.ts';
import type { DomainEvent, EventBus } from '../src/platform/events/domain-events.ts';
import { outboxInsert } from '../entities/webhook-outbox.ts';
import { stateOf } from './clocks.ts';
import { dueAlerts, nextCheckAt, type DueAlert, type SlaState } from './evaluate.ts';

export const TICK_BATCH = 500;

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

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

// Rows travel as one JSON parameter (jsonb_to_recordset): one statement and one parameter, whatever the batch.
const CLAIM = statement('switchboard_sla_claim_v1', `
  select * from conversations where sla_next_check_at <= :now::timestamptz
  order by sla_next_check_at limit ${TICK_BATCH} for update skip locked`);

const INSERT_EVENTS = statement('switchboard_sla_events_v1', `
  with e as (
    insert into sla_events (id, tenant_id, conversation_id, policy_id, kind, type, cycle, due_at, occurred_at, assignee_id, created_at)
    select gen_random_uuid(), e.tenant_id, e.conversation_id, e.policy_id, e.kind, e.type, e.cycle, e.due_at, :now::timestamptz, e.assignee_id, :now::timestamptz
    from jsonb_to_recordset(:events::jsonb) as e(tenant_id uuid, conversation_id uuid, policy_id uuid, kind text, type text,
      cycle int, due_at timestamptz, assignee_id uuid)
    on conflict (conversation_id, kind, type, cycle) do nothing
    returning id, tenant_id, conversation_id, kind, type, cycle
  ),
  d as (${outboxInsert('sla.breached', "(select * from e where type = 'breach')", 'id', 'conversation_id', 'clock_timestamp()')})
  select conversation_id, kind, type, cycle from e`);

// Sets updated_at itself, so the row trigger that keeps it is not called once per row.
const STAMP = statement('switchboard_sla_stamp_v2', `
  update conversations c set
    first_response_breached_at = v.fr, next_response_breached_at = v.nr, resolution_breached_at = v.res,
    sla_next_check_at = v.next_check, updated_at = :now::timestamptz
  from jsonb_to_recordset(:stamps::jsonb) as v(id uuid, fr timestamptz, nr timestamptz, res timestamptz, next_check timestamptz)
  where c.id = v.id`);

async function insertEvents(tx: Tx, plans: Planned[], now: Date): Promise<Set<string>> {
  const events = plans.flatMap(({ conversation: c, due }) => due.map((d) => ({
    tenant_id: c.tenant, conversation_id: c.id, policy_id: c.slaPolicy ?? null, kind: d.kind, type: d.type,
    cycle: d.cycle, due_at: d.dueAt.toISOString(), assignee_id: c.assignee ?? null,
  })));
  if (!events.length) return new Set();
  const rows = await tx.run<{ conversation_id: string; kind: string; type: string; cycle: number }>(INSERT_EVENTS, { now, events: JSON.stringify(events) });
  return new Set(rows.map((r) => `${r.conversation_id}|${r.kind}|${r.type}|${r.cycle}`));
}

async function stampConversations(tx: Tx, plans: Planned[], now: Date): Promise<void> {
  const stamps = plans.map(({ conversation: c, state: s }) => ({
    id: c.id, fr: iso(s.firstResponseBreachedAt), nr: iso(s.nextResponseBreachedAt), res: iso(s.resolutionBreachedAt), next_check: iso(s.slaNextCheckAt),
  }));
  await tx.run(STAMP, { now, stamps: JSON.stringify(stamps) });
}

function breachTimes(s: SlaState) {
  return { firstResponseBreachedAt: iso(s.firstResponseBreachedAt), nextResponseBreachedAt: iso(s.nextResponseBreachedAt), resolutionBreachedAt: iso(s.resolutionBreachedAt) };
}

/** One batch in one transaction; answers the alerts that were new and the conversations they changed. */
async function checkBatch(tx: Tx, now: Date): Promise<{ alerts: Alert[]; conversations: Map<string, ConversationDto>; claimed: number }> {
  const rows = await tx.run<Record<string, unknown>>(CLAIM, { now });
  const plans: Planned[] = rows.map((row) => {
    const conversation = conversationFromRow(row);
    const state = stateOf(conversation);
    const due = dueAlerts(state, now);
    for (const d of due) if (d.type === 'breach') state[BREACHED[d.kind]] = d.dueAt;
    state.slaNextCheckAt = nextCheckAt(state, now);
    return { conversation, state, due };
  });
  if (!plans.length) return { alerts: [], conversations: new Map(), claimed: 0 };
  const fresh = await insertEvents(tx, plans, now);
  await stampConversations(tx, plans, now);
  const alerts: Alert[] = [];
  const conversations = new Map<string, ConversationDto>();
  for (const { conversation: c, state, due } of plans) {
    for (const d of due) {
      if (!fresh.has(`${c.id}|${d.kind}|${d.type}|${d.cycle}`)) continue; // flagged before: alerted once already
      alerts.push({
        type: 'sla.alert', tenantId: c.tenant, alert: d.type, conversationId: c.id, kind: d.kind, dueAt: d.dueAt.toISOString(),
        breachedAt: d.type === 'breach' ? d.dueAt.toISOString() : null, assigneeId: c.assignee ?? null, policyId: c.slaPolicy ?? null,
      });
      const dto = toConversationDto(c);
      conversations.set(c.id, { ...dto, sla: { ...dto.sla, ...breachTimes(state) } });
    }
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
  const batch = async () => {
    batches++;
    const { alerts, conversations, claimed } = await transactions((tx) => checkBatch(tx, now));
    for (const alert of alerts) bus.publish(alert);
    const tenantOf = new Map(alerts.map((a) => [a.conversationId, a.tenantId]));
    for (const [id, conversation] of conversations) bus.publish({ type: 'conversation.updated', tenantId: tenantOf.get(id)!, conversation });
    raised += alerts.length;
    if (claimed < TICK_BATCH) drained = true;
  };
  // One batch first: nothing due (the common tick) costs one claim. A backlog then drains in parallel.
  await batch();
  const worker = async () => { while (!drained && batches < MAX_BATCHES_PER_TICK) await batch(); };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
  return raised;
}
