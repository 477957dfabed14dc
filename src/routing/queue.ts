// The live queue for supervisors: per inbox, the conversations waiting for someone (age, required skills
// and language, team, SLA risk) and the members who could take them (presence, weighted load, capacity, wrap-up).
import type { Priority, QueueDto } from '../contract/dto.ts';
import { statement } from '../platform/db/statement.ts';
import type { TenantTransactions } from '../platform/db/tenant-transaction.ts';
import type { PresenceReader } from '../platform/presence/presence-reader.ts';
import { lastResolvedIn, weightedLoad, wrapUpEnd } from './load.ts';
import { tagList } from '../platform/text/tags.ts';

/** A due date this close (or past, unbreached yet) puts a waiting conversation at risk. */
const AT_RISK_MS = 10 * 60_000;

/** Waiting conversations listed per inbox at most. */
const WAITING_LIMIT = 200;

const INBOXES = statement('switchboard_queue_inboxes_v1',
  'select id, name, auto_assign, conversation_weight, wrap_up_seconds from inboxes where tenant_id = :tenant_id order by created_at, id');

// Per inbox, its first WAITING_LIMIT in the list's order, read in that order from the index of unassigned work (a
// tenant with thousands waiting in an inbox without round robin had every one of them read and sorted each time).
export const WAITING = statement('switchboard_queue_waiting_v2', `
  select w.* from inboxes i cross join lateral (
    select c.id, c.inbox_id, c.team_id, coalesce(c.waiting_since, c.created_at) as since, c.priority, c.required_skills, c.language,
      c.sla_policy_id as policy,
      least(case when c.first_response_breached_at is null then c.first_response_due_at end,
            case when c.next_response_breached_at is null then c.next_response_due_at end,
            case when c.resolution_breached_at is null then c.resolution_due_at end) as due,
      (c.first_response_breached_at is not null or c.next_response_breached_at is not null or c.resolution_breached_at is not null) as breached
    from conversations c
    where c.tenant_id = :tenant_id and c.inbox_id = i.id and c.assignee_id is null and c.status in ('new', 'open', 'pending')
    order by coalesce(c.waiting_since, c.created_at), c.id limit ${WAITING_LIMIT}
  ) w
  where i.tenant_id = :tenant_id
  order by w.since, w.id`);

const MEMBERS = statement('switchboard_queue_members_v1', `
  select m.inbox_id, u.id as user_id, u.name, u.capacity, ${weightedLoad('u')} as load, ${lastResolvedIn('u.id', 'm.inbox_id')} as last_resolved_at
  from inbox_members m join users u on u.id = m.user_id
  where m.tenant_id = :tenant_id and u.active and u.role <> 'bot' order by m.inbox_id, m.position`);

const TEAMS = statement('switchboard_queue_teams_v1', 'select id, name from teams where tenant_id = :tenant_id order by name, id');

/**
 * The tenant's live queue. Its four reads share one tenant transaction on named statements (a recomputation runs
 * up to four times a second per node in a busy tenant: four ORM reads were four round trips each and planned every time).
 */
export async function liveQueue(transactions: TenantTransactions, presence: PresenceReader, tenantId: string, now = new Date()): Promise<QueueDto> {
  const params = { tenant_id: tenantId };
  const { inboxes, waiting, members, teams } = await transactions(tenantId, async (tx) => ({
    inboxes: await tx.run<{ id: string; name: string; auto_assign: boolean; conversation_weight: number; wrap_up_seconds: number }>(INBOXES, params),
    waiting: await tx.run<{
      id: string; inbox_id: string; team_id: string | null; since: Date | string; priority: Priority; required_skills: unknown; language: string | null;
      policy: string | null; due: Date | string | null; breached: boolean;
    }>(WAITING, params),
    members: await tx.run<{ inbox_id: string; user_id: string; name: string; capacity: number | null; load: number | string; last_resolved_at: Date | string | null }>(MEMBERS, params),
    teams: await tx.run<{ id: string; name: string }>(TEAMS, params),
  }));
  const statuses = await presence.statusOf(tenantId, [...new Set(members.map((m) => m.user_id))]);
  const nowMs = now.getTime();
  return {
    generatedAt: now.toISOString(),
    // The same waiting conversations, counted per team (the teamless ones under null).
    teams: [...teams, { id: null, name: null }].map((team) => ({
      teamId: team.id, name: team.name, waiting: waiting.filter((w) => w.team_id === team.id).length,
    })),
    inboxes: inboxes.map((inbox) => ({
      inboxId: inbox.id, name: inbox.name, autoAssign: inbox.auto_assign, conversationWeight: Number(inbox.conversation_weight),
      waiting: waiting.filter((w) => w.inbox_id === inbox.id).map((w) => {
        const due = w.due ? new Date(w.due) : null;
        return {
          conversationId: w.id, waitingSeconds: Math.max(0, Math.floor((nowMs - new Date(w.since).getTime()) / 1000)), priority: w.priority,
          requiredSkills: tagList(w.required_skills), language: w.language, teamId: w.team_id,
          slaRisk: !w.policy ? null : w.breached ? 'breached' : due && due.getTime() - nowMs <= AT_RISK_MS ? 'at_risk' : 'ok',
          dueAt: due ? due.toISOString() : null,
        };
      }),
      agents: members.filter((m) => m.inbox_id === inbox.id).map((m) => {
        const until = wrapUpEnd(m.last_resolved_at, inbox.wrap_up_seconds);
        return {
          userId: m.user_id, name: m.name, presence: statuses.get(m.user_id) ?? 'offline', load: Number(m.load), capacity: m.capacity,
          wrapUpUntil: until && until.getTime() > nowMs ? until.toISOString() : null,
        };
      }),
    })),
  };
}
