// The routing sweep, every ROUTING_TICK_SECONDS on every node: conversations whose assignee stayed offline
// (or away, where the inbox says so) past the inbox's grace period, or whose first response is still owed
// past the inbox's timeout, go back through round robin; and inboxes with waiting work are drained, since
// time alone can let it move (a skills fallback reached, a wrap-up ended). Nodes sweeping together do not
// double a move: each one re-checks the assignee under the conversation's row lock.
import { statement } from '../platform/db/statement.ts';
import type { SingleStatement } from '../platform/db/tenant-transaction.ts';
import type { PresenceReader } from '../platform/presence/presence-reader.ts';
import type { Router } from './routing.ts';

const BATCH = 200;

interface DueRow {
  id: string;
  tenant_id: string;
  assignee_id: string;
  why: 'reassign_offline' | 'reassign_timeout';
  when_away: boolean;
  limit_seconds: number;
}

// Cross-tenant (system role): the grace counts from the later of the assignee's last presence change
// and the assignment, so work assigned to someone already offline gets the whole grace too. The first part starts
// from the people who are offline or away, pairs each with the auto-assigning inboxes of their tenant whose grace
// their presence change has already outlasted (someone who left a minute ago costs nothing yet, however much open
// work they hold), and reads only their open conversations of those inboxes (the assignee index); the second from
// the inboxes with a first-response timeout, so an inbox without one costs nothing. Joined the other way round
// (conversations first), a sweep on every node read every assignment ever made. Named, like the next one, so that
// PostgreSQL plans it once per connection: planned afresh on every sweep of every node it cost 6.5 ms for 0.5 ms of work.
const DUE = statement('switchboard_routing_due_v1', `
  with away as materialized (select id, tenant_id, presence, presence_changed_at from users where presence in ('offline', 'away'))
  select c.id, c.tenant_id, c.assignee_id, 'reassign_offline' as why, i.reassign_when_away as when_away, i.reassign_after_seconds as limit_seconds
  from away u
  join inboxes i on i.tenant_id = u.tenant_id and i.auto_assign and (u.presence = 'offline' or i.reassign_when_away)
    and (u.presence_changed_at is null or u.presence_changed_at <= now() - make_interval(secs => i.reassign_after_seconds))
  cross join lateral (
    select c.id, c.tenant_id, c.assignee_id
    from conversations c
    join conversation_assignments a on a.conversation_id = c.id and a.unassigned_at is null and a.assignee_id = c.assignee_id
    where c.tenant_id = u.tenant_id and c.assignee_id = u.id and c.status in ('new', 'open', 'pending') and c.inbox_id = i.id
      and a.assigned_at <= now() - make_interval(secs => i.reassign_after_seconds)
    limit ${BATCH}) c
  union all
  select c.id, c.tenant_id, c.assignee_id, 'reassign_timeout', false, (i.reassign_timeout_minutes * 60)::int
  from inboxes i
  cross join lateral (
    select c.id, c.tenant_id, c.assignee_id from conversations c
    join conversation_assignments a on a.conversation_id = c.id and a.unassigned_at is null and a.assignee_id = c.assignee_id
    where c.inbox_id = i.id and c.status in ('new', 'open', 'pending') and c.first_response_at is null
      and a.assigned_at <= now() - make_interval(secs => i.reassign_timeout_minutes * 60)
    limit ${BATCH}) c
  where i.auto_assign and i.reassign_timeout_minutes is not null
  limit ${BATCH}`);

const WAITING_INBOXES = statement('switchboard_routing_waiting_inboxes_v1', `
  select distinct tenant_id, inbox_id from conversations
  where waiting_since is not null and assignee_id is null and status in ('new', 'open', 'pending')`);

/** `single` runs each query on its own, across tenants (the system role). */
export async function sweepRouting(single: SingleStatement, router: Router, presence: PresenceReader): Promise<{ moved: number }> {
  let moved = 0;
  for (const row of await single<DueRow>(DUE, {})) {
    if (row.why === 'reassign_offline') {
      // The database keeps the last announced presence; the store is the live truth (a reconnect may be in flight).
      const now = (await presence.statusOf(row.tenant_id, [row.assignee_id])).get(row.assignee_id) ?? 'offline';
      if (now === 'online' || now === 'busy' || (now === 'away' && !row.when_away)) continue;
    }
    const reason = row.why === 'reassign_offline'
      ? `assignee ${row.when_away ? 'offline or away' : 'offline'} for more than ${row.limit_seconds} s`
      : `no first response within ${row.limit_seconds / 60} min of the assignment`;
    if (await router.reassign(row.tenant_id, row.id, row.assignee_id, row.why, reason)) moved++;
  }
  for (const { tenant_id, inbox_id } of await single<{ tenant_id: string; inbox_id: string }>(WAITING_INBOXES, {})) {
    await router.drainInbox(tenant_id, inbox_id);
  }
  return { moved };
}
