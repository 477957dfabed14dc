// The statements of one round-robin drain of an inbox (auto-assign.service.ts says what a drain does and
// why it locks what it locks). Named, so PostgreSQL plans each once per connection.
import { notifiable, unreadAfter } from '../model/notification.mapper.ts';
import { statement } from '../platform/db/statement.ts';
import { lastResolvedIn, weightedLoad } from './load.ts';
import { CAPACITY_TOLERANCE } from './round-robin.ts';

/** The inbox's routing settings, read under its row lock, and its active non-bot members. */
export interface DrainInbox {
  auto_assign: boolean;
  conversation_weight: number;
  wrap_up_seconds: number;
  skill_fallback_seconds: number;
  members: DrainMember[];
}

export interface DrainMember {
  user_id: string;
  role: 'admin' | 'supervisor' | 'agent' | 'bot';
  active: boolean;
  position: number;
  skills: unknown;
  languages: unknown;
  teams: string[];
}

// FOR NO KEY UPDATE: drains of the inbox on every node wait for each other, while creations (whose foreign key
// only share-locks the inbox's key) never wait on a drain. Nothing the previous drain wrote is read here: a
// statement that waited for a lock still reads with the snapshot it started with. PICK, the next statement, does.
export const LOCK_INBOX = statement('switchboard_drain_lock_inbox_v2', `
  with i as (
    select id, auto_assign, conversation_weight, wrap_up_seconds, skill_fallback_seconds from inboxes
    where id = :inbox_id and tenant_id = :tenant_id for no key update
  )
  select i.auto_assign, i.conversation_weight, i.wrap_up_seconds, i.skill_fallback_seconds,
    (select coalesce(jsonb_agg(jsonb_build_object('user_id', m.user_id, 'role', u.role, 'active', u.active, 'position', m.position,
        'skills', u.skills, 'languages', u.languages,
        'teams', (select coalesce(jsonb_agg(t.team_id), '[]'::jsonb) from team_members t where t.user_id = m.user_id and t.tenant_id = :tenant_id))), '[]'::jsonb)
      from inbox_members m join users u on u.id = m.user_id
      where i.auto_assign and m.inbox_id = i.id and m.tenant_id = :tenant_id and u.active and u.role <> 'bot') as members
  from i`);

export interface DrainLoad {
  id: string;
  capacity: number | null;
  load: number;
  last_resolved_at: string | null;
  /** When the member last got a conversation of this inbox from round robin (µs), for the turn order. */
  last_us: number | null;
}

export interface DrainWaiting {
  id: string;
  required_skills: unknown;
  language: string | null;
  team_id: string | null;
  /** Waited past the inbox's skill fallback: anyone may take it. */
  anyone: boolean;
}

// The online members' rows first, in id order, with their load (kept in agent_loads; read here with this statement's
// snapshot, which may predate a wait for those rows, so STAMP reads it again), then the oldest waiting conversations.
// Members are members still: LOCK_INBOX listed them with the snapshot it took before waiting for the inbox, which a
// change of members holds while it commits.
export const PICK = statement('switchboard_drain_pick_v6', `
  with l as (
    select u.id, u.capacity, ${weightedLoad('u')} as load, ${lastResolvedIn('u.id', ':inbox_id')} as last_resolved_at,
      (extract(epoch from m.last_auto_assigned_at) * 1000000)::bigint as last_us
    from users u join inbox_members m on m.inbox_id = :inbox_id and m.user_id = u.id
    where u.id in (select value::uuid from jsonb_array_elements_text(:user_ids::jsonb)) and u.tenant_id = :tenant_id
    order by u.id for no key update of u
  ),
  w as (
    select id, required_skills, language, team_id, waiting_since, waiting_since <= :now::timestamptz - make_interval(secs => :fallback_seconds) as anyone
    from conversations
    where inbox_id = :inbox_id and tenant_id = :tenant_id and waiting_since is not null and assignee_id is null and status in ('new', 'open', 'pending')
    order by waiting_since, id limit :batch for update
  )
  select (select coalesce(jsonb_agg(jsonb_build_object('id', l.id, 'capacity', l.capacity, 'load', l.load, 'last_resolved_at', l.last_resolved_at, 'last_us', l.last_us)), '[]'::jsonb) from l) as loads,
    (select coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'required_skills', w.required_skills, 'language', w.language, 'team_id', w.team_id, 'anyone', w.anyone)
      order by w.waiting_since, w.id), '[]'::jsonb) from w) as waiting`);

/**
 * The assignments of a batch, in one statement: the conversations (answered), each agent's last-assigned time in
 * turn order (an agent's last turn in the batch sets their place for the next round), the open history rows an
 * unassignment left, closed, and then the new history rows and timeline entries. The scalar subquery over `h` runs
 * that update to its end before the first history row goes in, so a new open row never meets the one it replaces
 * in the one-open-row-per-conversation index (sub-statements of a WITH otherwise run in no promised order).
 *
 * Each assigned person is notified in the same statement (the notification the writer would otherwise write in a
 * transaction of its own after the commit, one per drain), answered with the conversation it is about.
 *
 * Each agent's capacity is checked again first, and an agent whose pairs would overrun it gets none of them: PICK
 * read the loads with the snapshot it took before waiting for the agents' row locks, and the drain of another inbox
 * that held such a lock may have assigned them work and committed meanwhile. This statement's snapshot sees that.
 */
export const STAMP = statement('switchboard_drain_stamp_v4', `
  with p as (
    select * from jsonb_to_recordset(:pairs::jsonb) as p(conversation_id uuid, assignee_id uuid, turn int, history_id uuid)
  ),
  v as (
    select p.* from p join users u on u.id = p.assignee_id and u.tenant_id = :tenant_id
    where u.capacity is null or ${weightedLoad('u')}
      + (select count(*) from p n where n.assignee_id = p.assignee_id) * (select conversation_weight from inboxes where id = :inbox_id)
      <= u.capacity + ${CAPACITY_TOLERANCE}
  ),
  c as (
    update conversations c set assignee_id = v.assignee_id, waiting_since = null, updated_at = :now::timestamptz
    from v where c.id = v.conversation_id and c.tenant_id = :tenant_id
    returning c.*
  ),
  -- Materialized: the base is read once, not per updated row (clock_timestamp() moves).
  b as materialized (
    select greatest(clock_timestamp(), max(last_auto_assigned_at) + interval '1 microsecond') as base from inbox_members where inbox_id = :inbox_id
  ),
  t as (select assignee_id, max(turn) as turn from v group by assignee_id),
  m as (
    update inbox_members m set last_auto_assigned_at = b.base + t.turn * interval '1 microsecond'
    from t, b where m.inbox_id = :inbox_id and m.user_id = t.assignee_id
  ),
  h as (
    update conversation_assignments set unassigned_at = :now::timestamptz
    where unassigned_at is null and conversation_id in (select conversation_id from v)
    returning id
  ),
  r as (
    insert into conversation_assignments (id, tenant_id, conversation_id, assignee_id, previous_assignee_id, type, by_user_id, reason, assigned_at)
    select v.history_id, :tenant_id, v.conversation_id, v.assignee_id, null, 'auto_round_robin', null, null, :now::timestamptz from v
    where (select count(*) from h) >= 0
  ),
  a as (
    insert into activities (id, tenant_id, entity_type, entity_id, conversation_id, kind, ref_id, actor_id, data, occurred_at)
    select gen_random_uuid(), c.tenant_id, coalesce(c.entity_type, 'conversation'), coalesce(c.entity_id, c.id::text), c.id,
      'assignment.auto_round_robin', v.history_id, null, jsonb_build_object('assigneeId', v.assignee_id, 'previousAssigneeId', null), :now::timestamptz
    from v join c on c.id = v.conversation_id
  ),
  n as (
    insert into notifications (id, tenant_id, user_id, kind, conversation_id, actor_id, data, created_at)
    select gen_random_uuid(), c.tenant_id, v.assignee_id, 'assigned', c.id, null, jsonb_build_object('assignmentType', 'auto_round_robin'), :now::timestamptz
    from v join c on c.id = v.conversation_id join users u on u.id = v.assignee_id
    where ${notifiable('u', "'assigned'")}
    returning id, user_id, kind, conversation_id, data, created_at
  )
  select c.*, (
    select jsonb_build_object('id', n.id, 'kind', n.kind, 'conversation', n.conversation_id, 'data', n.data, 'createdAt', n.created_at,
      'userId', n.user_id, 'unreadCount', unread.unread_count, 'unreadMentions', unread.unread_mentions)
    from n ${unreadAfter('n.user_id', 'n')} where n.conversation_id = c.id
  ) as assigned_notification
  from c`);
