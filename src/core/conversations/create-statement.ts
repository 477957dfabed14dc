// The statements that create a batch of one tenant's conversations: one reads what the batch needs (its
// inboxes with their effective SLA policy, the contacts it names), one writes every conversation and its
// timeline entry. A conversation of an auto-assigning inbox enters the waiting queue as it is written, so
// routing only has to offer it (the `conversation.created` webhook is the table's insert trigger).
import { statement } from '../../platform/db/statement.ts';
import type { PolicyRow } from '../../../sla/clocks.ts';
import type { PolicyConditions } from '../../../sla/policy-choice.ts';

export interface InboxForCreation {
  id: string;
  channel: string;
  visibility: string;
  auto_assign: boolean;
  default_skills: unknown;
  default_language: string | null;
  /** The policy the inbox names, if any (sla/policy-choice.ts decides). */
  sla_policy_id: string | null;
}

/** An active policy of the tenant, as the choice and the clocks need it. */
export type ActivePolicy = PolicyRow & { isDefault: boolean; conditions: PolicyConditions | null };

export const CREATION_CONTEXT = statement('switchboard_conversation_creation_context_v4', `
  select
    (select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'channel', i.channel, 'visibility', i.visibility, 'auto_assign', i.auto_assign,
        'default_skills', i.default_skills, 'default_language', i.default_language, 'sla_policy_id', i.sla_policy_id)), '[]'::jsonb)
      from inboxes i where i.tenant_id = :tenant_id and i.id in (select value::uuid from jsonb_array_elements_text(:inbox_ids::jsonb))) as inboxes,
    (select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'firstResponseMinutes', s.first_response_minutes, 'nextResponseMinutes', s.next_response_minutes,
        'resolutionMinutes', s.resolution_minutes, 'warnAtPercent', s.warn_at_percent, 'businessHours', s.business_hours,
        'isDefault', s.is_default, 'conditions', s.conditions) order by s.created_at, s.id), '[]'::jsonb)
      from sla_policies s where s.tenant_id = :tenant_id and s.is_active) as policies,
    (select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'company_id', c.company_id, 'custom_attributes', c.custom_attributes)), '[]'::jsonb)
      from contacts c where c.tenant_id = :tenant_id and c.id in (select value::uuid from jsonb_array_elements_text(:contact_ids::jsonb))) as contacts`);

/** One new conversation as the insert takes it. */
export interface NewConversationRow {
  id: string;
  inbox_id: string;
  channel: string;
  visibility: string;
  contact_id: string | null;
  entity_type: string | null;
  entity_id: string | null;
  company_id: string | null;
  subject: string | null;
  channel_type: string;
  metadata: Record<string, unknown> | null;
  priority: string;
  required_skills: string[];
  language: string | null;
  sla_policy_id: string | null;
  resolution_due_at: string | null;
  resolution_warn_at: string | null;
  sla_next_check_at: string | null;
  /** Its inbox auto-assigns: it waits for an agent from now on. */
  waiting: boolean;
  actor_id: string | null;
  custom_attributes: Record<string, unknown>;
  team_id: string | null;
}

export const INSERT_CONVERSATIONS = statement('switchboard_insert_conversations_v4', `
  with n as (
    select * from jsonb_to_recordset(:rows::jsonb) as n(id uuid, inbox_id uuid, channel text, visibility text, contact_id uuid,
      entity_type text, entity_id text, company_id text, subject text, channel_type text, metadata jsonb, priority text, required_skills jsonb,
      language text, sla_policy_id uuid, resolution_due_at timestamptz, resolution_warn_at timestamptz, sla_next_check_at timestamptz,
      waiting boolean, actor_id uuid, custom_attributes jsonb, team_id uuid)
  ),
  c as (
    insert into conversations (id, tenant_id, inbox_id, channel, visibility, contact_id, entity_type, entity_id, company_id, subject,
      channel_type, metadata, status, priority,
      required_skills, language, sla_policy_id, sla_cycle, resolution_due_at, resolution_warn_at, sla_next_check_at, waiting_since,
      custom_attributes, team_id, created_at, updated_at)
    select n.id, :tenant_id, n.inbox_id, n.channel, n.visibility, n.contact_id, n.entity_type, n.entity_id, n.company_id, n.subject,
      n.channel_type, n.metadata, 'new', n.priority,
      n.required_skills, n.language, n.sla_policy_id, 1, n.resolution_due_at, n.resolution_warn_at, n.sla_next_check_at,
      case when n.waiting then :now::timestamptz end, n.custom_attributes, n.team_id, :now::timestamptz, :now::timestamptz
    from n
    returning *
  ),
  a as (
    insert into activities (id, tenant_id, entity_type, entity_id, conversation_id, kind, ref_id, actor_id, data, occurred_at)
    select gen_random_uuid(), c.tenant_id, coalesce(c.entity_type, 'conversation'), coalesce(c.entity_id, c.id::text), c.id,
      'conversation.created', c.id, n.actor_id, null, :now::timestamptz
    from c join n on n.id = c.id
  )
  select * from c`);
