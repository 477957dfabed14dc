// The statements that commit a batch of sends: any number of messages of any number of one tenant's
// conversations (one message of one conversation is the smallest batch) in one statement. It locks the
// conversations' rows in id order (so batches never deadlock each other), takes each its next seqs, rolls
// each up, and inserts the messages and their attachments. An inbound message wakes a snoozed or resolved
// conversation; a person's first message opens a new one; a closed one takes no inbound message; an inbound message brings an archived one (its thread) back, nothing else is written into it; into a masked thread only those who may read it write.
// A conversation that refuses its group is left out of the answer (and its messages are not written): the
// caller replays those sends one by one to learn why. Each group's roll-up is computed by the caller.
import type { AttachmentDto, Direction, IdentityDto, MessageType, SenderType } from '../../contract/dto.ts';
import { statement } from '../../platform/db/statement.ts';
import { outboxInsert } from '../../../entities/webhook-outbox.ts';

export const INSERT_BATCH = statement('switchboard_insert_message_batch_v4', `
  with g as (
    select * from jsonb_to_recordset(:groups::jsonb) as g(conversation_id uuid, count int, visible_at timestamptz, preview text,
      last_direction text, any_inbound boolean, human_touch boolean, human_reply boolean, any_reply boolean, may_write_any boolean, check_authors jsonb)
  ),
  p as (
    select c.id, c.status as previous_status from conversations c
    where c.id in (select conversation_id from g) order by c.id for update
  ),
  c as (
    update conversations c set
      last_seq = c.last_seq + g.count,
      message_count = c.message_count + g.count,
      last_message_at = coalesce(g.visible_at, c.last_message_at),
      last_message_preview = case when g.visible_at is null then c.last_message_preview else g.preview end,
      last_direction = case when g.visible_at is null then c.last_direction else g.last_direction end,
      status = case when g.any_inbound and c.status in ('snoozed', 'resolved', 'archived') then 'open'
        when g.human_touch and c.status = 'new' then 'open' else c.status end,
      snoozed_until = case when g.any_inbound and c.status in ('snoozed', 'resolved') then null else c.snoozed_until end,
      resolved_at = case when g.any_inbound and c.status in ('snoozed', 'resolved', 'archived') then null else c.resolved_at end,
      archived_at = case when g.any_inbound then null else c.archived_at end,
      first_response_at = case when g.human_reply then coalesce(c.first_response_at, :now::timestamptz) else c.first_response_at end,
      last_inbound_at = case when g.any_inbound then :now::timestamptz else c.last_inbound_at end,
      last_reply_at = case when g.any_reply then :now::timestamptz else c.last_reply_at end,
      updated_at = :now::timestamptz
    from p join g on g.conversation_id = p.id
    where c.id = p.id and c.tenant_id = :tenant_id and not (c.status = 'closed' and g.any_inbound) and not (c.status = 'archived' and not g.any_inbound)
      and (c.visibility = 'share_everything' or g.may_write_any or not exists (
        select 1 from jsonb_array_elements_text(g.check_authors) w(id)
        where not (c.assignee_id = w.id::uuid
          or exists (select 1 from conversation_grants cg where cg.conversation_id = c.id and cg.user_id = w.id::uuid)
          or exists (select 1 from messages a where a.conversation_id = c.id and a.author_id = w.id::uuid)
          or exists (select 1 from message_recipients r where r.conversation_id = c.id and r.user_id = w.id::uuid))))
    returning c.*, p.previous_status, g.count as batch_count
  ),
  m as (
    insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, author_id, contact_id,
      source_channel, source_handle, subject, type, body, html_body, html_body_safe, status, client_message_id, external_id, metadata, sent_at,
      created_at, updated_at, whisper_to_id, search_config)
    select r.id, c.tenant_id, c.id, c.inbox_id, c.last_seq - c.batch_count + r.n, r.direction, r.sender_type, r.author_id, r.contact_id,
      r.source_channel, r.source_handle, r.subject, r.type, r.body, r.html_body, r.html_body_safe, r.status, r.client_message_id, r.external_id, r.metadata, r.sent_at,
      :now::timestamptz, :now::timestamptz, r.whisper_to_id, (select t.search_language::regconfig from tenants t where t.id = :tenant_id)
    from c join jsonb_to_recordset(:messages::jsonb) as r(conversation_id uuid, id uuid, n int, direction text, sender_type text,
      author_id uuid, contact_id uuid, source_channel text, source_handle text, subject text, type text, body text, html_body text, html_body_safe text, status text,
      client_message_id text, external_id text, metadata jsonb, sent_at timestamptz, whisper_to_id uuid) on r.conversation_id = c.id
    returning id, tenant_id, conversation_id, seq
  ),
  -- Deliveries of each message to the tenant's subscribed endpoints, a conversation's in seq order.
  o as (${outboxInsert('message.created', 'm', 'id', 'conversation_id', ":now::timestamptz + s.seq * interval '1 microsecond'")}),
  a as (
    insert into attachments (id, tenant_id, message_id, type, url, mime, filename, size, width, height, duration, thumbnail_url, platform_url,
      metadata, created_at)
    select x.id, m.tenant_id, m.id, x.type, x.url, x.mime, x.filename, x.size, x.width, x.height, x.duration, x.thumbnail_url, x.platform_url,
      x.metadata, :now::timestamptz + x.n * interval '1 microsecond'
    from m join jsonb_to_recordset(:attachments::jsonb) as x(id uuid, message_id uuid, n int, type text, url text, mime text, filename text,
      size bigint, width int, height int, duration double precision, thumbnail_url text, platform_url text, metadata jsonb) on x.message_id = m.id
  )
  select c.* from c`);

/** The SLA columns of several conversations at once (the batch's clocks that moved). */
export const UPDATE_CLOCKS = statement('switchboard_update_sla_clocks_v1', `
  update conversations c set sla_cycle = v.sla_cycle, first_response_due_at = v.first_response_due_at,
    first_response_warn_at = v.first_response_warn_at, first_response_breached_at = v.first_response_breached_at,
    sla_first_response_met_at = v.sla_first_response_met_at, next_response_due_at = v.next_response_due_at,
    next_response_warn_at = v.next_response_warn_at, next_response_breached_at = v.next_response_breached_at,
    sla_next_response_clock = v.sla_next_response_clock, resolution_due_at = v.resolution_due_at,
    resolution_warn_at = v.resolution_warn_at, resolution_breached_at = v.resolution_breached_at,
    sla_paused_at = v.sla_paused_at, sla_next_check_at = v.sla_next_check_at
  from jsonb_to_recordset(:clocks::jsonb) as v(id uuid, sla_cycle int, first_response_due_at timestamptz, first_response_warn_at timestamptz,
    first_response_breached_at timestamptz, sla_first_response_met_at timestamptz, next_response_due_at timestamptz,
    next_response_warn_at timestamptz, next_response_breached_at timestamptz, sla_next_response_clock int, resolution_due_at timestamptz,
    resolution_warn_at timestamptz, resolution_breached_at timestamptz, sla_paused_at timestamptz, sla_next_check_at timestamptz)
  where c.id = v.id and c.tenant_id = :tenant_id`);

/** One message of a batch, as the statement writes it. */
export interface BatchedMessage {
  conversationId: string;
  id: string;
  direction: Direction;
  senderType: SenderType;
  authorId: string | null;
  contactId: string | null;
  source: IdentityDto | null;
  subject: string | null;
  type: MessageType;
  body: string;
  htmlBody: string | null;
  htmlBodySafe: string | null;
  status: string;
  clientMessageId: string | null;
  externalId: string | null;
  metadata: Record<string, unknown> | null;
  sentAt: Date;
  whisperToId: string | null;
  /** People and bots who do not write wherever they like (their access to a masked thread is checked). */
  checkedAuthor: string | null;
  attachments: (AttachmentDto & { id: string })[];
}

const PREVIEW_LENGTH = 200;

/** A conversation's group: its roll-up as the statement applies it. */
function groupOf(conversationId: string, messages: BatchedMessage[], now: Date) {
  const last = messages.filter((m) => m.direction !== 'internal').at(-1);
  return {
    conversation_id: conversationId,
    count: messages.length,
    visible_at: last ? now.toISOString() : null,
    preview: last ? last.body.slice(0, PREVIEW_LENGTH) : null,
    last_direction: last?.direction ?? null,
    any_inbound: messages.some((m) => m.direction === 'inbound'),
    // A person's reply, note or whisper is the first human touch that moves a `new` conversation to `open`.
    human_touch: messages.some((m) => m.senderType === 'user'),
    human_reply: messages.some((m) => m.direction === 'outbound' && m.senderType === 'user'),
    // Automated (system) replies are not replies for the awaiting-reply report.
    any_reply: messages.some((m) => m.direction === 'outbound' && (m.senderType === 'user' || m.senderType === 'bot')),
    may_write_any: messages.every((m) => !m.checkedAuthor),
    check_authors: [...new Set(messages.flatMap((m) => (m.checkedAuthor ? [m.checkedAuthor] : [])))],
  };
}

/** The statement's parameters; within a conversation, seqs follow the order of `messages`. */
export function batchParams(tenantId: string, messages: BatchedMessage[], now: Date): Record<string, unknown> {
  const byConversation = new Map<string, BatchedMessage[]>();
  for (const m of messages) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m]);
  return {
    tenant_id: tenantId,
    now,
    groups: JSON.stringify([...byConversation].map(([id, list]) => groupOf(id, list, now))),
    messages: JSON.stringify([...byConversation.values()].flatMap((list) => list.map((m, i) => ({
      conversation_id: m.conversationId, id: m.id, n: i + 1, direction: m.direction, sender_type: m.senderType, author_id: m.authorId,
      contact_id: m.contactId, source_channel: m.source?.channel ?? null, source_handle: m.source?.handle ?? null, subject: m.subject, type: m.type, body: m.body, html_body: m.htmlBody, html_body_safe: m.htmlBodySafe,
      status: m.status, client_message_id: m.clientMessageId, external_id: m.externalId, metadata: m.metadata, sent_at: m.sentAt.toISOString(),
      whisper_to_id: m.whisperToId,
    })))),
    attachments: JSON.stringify(messages.flatMap((m) => m.attachments.map((a, n) => ({
      id: a.id, message_id: m.id, n, type: a.type, url: a.url, mime: a.mime, filename: a.filename, size: a.size, width: a.width,
      height: a.height, duration: a.duration, thumbnail_url: a.thumbnailUrl, platform_url: a.platformUrl, metadata: a.metadata,
    })))),
  };
}
