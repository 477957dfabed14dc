// The one statement that commits a group of messages of one conversation (one message is a group of one):
// the row lock (the FOR UPDATE sub-select, which also reads the status before the change), the next seqs,
// the roll-up, the messages and their attachments. An inbound message wakes a snoozed or resolved
// conversation; a closed one takes no inbound message; into a masked thread only those who may read it
// write. The roll-up is computed here from the group, so the database sees one update and one insert.
import type { AttachmentDto, Direction, SenderType } from '../contract/dto.ts';
import { statement } from '../db/statement.ts';

export const INSERT_GROUP = statement('switchboard_insert_message_group_v1', `
  with p as (select id, status as previous_status from conversations where id = :conversation_id for update),
  c as (
    update conversations c set
      last_seq = c.last_seq + :count::int,
      message_count = c.message_count + :count::int,
      last_message_at = coalesce(:visible_at::timestamptz, c.last_message_at),
      last_message_preview = case when :visible_at::timestamptz is null then c.last_message_preview else :preview::text end,
      last_direction = case when :visible_at::timestamptz is null then c.last_direction else :last_direction::text end,
      status = case when :any_inbound::boolean and c.status in ('snoozed', 'resolved') then 'open' else c.status end,
      snoozed_until = case when :any_inbound::boolean and c.status in ('snoozed', 'resolved') then null else c.snoozed_until end,
      resolved_at = case when :any_inbound::boolean and c.status in ('snoozed', 'resolved') then null else c.resolved_at end,
      first_response_at = case when :human_reply::boolean then coalesce(c.first_response_at, :now::timestamptz) else c.first_response_at end,
      last_inbound_at = case when :any_inbound::boolean then :now::timestamptz else c.last_inbound_at end,
      last_reply_at = case when :any_reply::boolean then :now::timestamptz else c.last_reply_at end,
      updated_at = :now::timestamptz
    from p
    where c.id = p.id and c.tenant_id = :tenant_id and not (c.status = 'closed' and :any_inbound::boolean)
      and (c.visibility = 'share_everything' or :may_write_any::boolean or not exists (
        select 1 from jsonb_array_elements_text(:check_authors::jsonb) w(id)
        where not (c.assignee_id = w.id::uuid
          or exists (select 1 from conversation_grants g where g.conversation_id = c.id and g.user_id = w.id::uuid)
          or exists (select 1 from messages a where a.conversation_id = c.id and a.author_id = w.id::uuid)
          or exists (select 1 from message_recipients r where r.conversation_id = c.id and r.user_id = w.id::uuid))))
    returning c.*, p.previous_status
  ),
  m as (
    insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, author_id, contact_id,
      body, html_body, html_body_safe, status, client_message_id, external_id, sent_at, created_at, whisper_to_id)
    select r.id, c.tenant_id, c.id, c.inbox_id, c.last_seq - :count::int + r.n, r.direction, r.sender_type, r.author_id, r.contact_id,
      r.body, r.html_body, r.html_body_safe, r.status, r.client_message_id, r.external_id, r.sent_at, :now::timestamptz, r.whisper_to_id
    from c, jsonb_to_recordset(:messages::jsonb) as r(id uuid, n int, direction text, sender_type text, author_id uuid, contact_id uuid,
      body text, html_body text, html_body_safe text, status text, client_message_id text, external_id text, sent_at timestamptz, whisper_to_id uuid)
    returning id, tenant_id
  ),
  a as (
    insert into attachments (id, tenant_id, message_id, type, url, mime, filename, size, width, height, duration, thumbnail_url, created_at)
    select x.id, m.tenant_id, m.id, x.type, x.url, x.mime, x.filename, x.size, x.width, x.height, x.duration, x.thumbnail_url,
      :now::timestamptz + x.n * interval '1 microsecond'
    from m join jsonb_to_recordset(:attachments::jsonb) as x(id uuid, message_id uuid, n int, type text, url text, mime text, filename text,
      size bigint, width int, height int, duration double precision, thumbnail_url text) on x.message_id = m.id
  )
  select c.* from c`);

/** One message of a group, as the statement writes it. */
export interface GroupedMessage {
  id: string;
  direction: Direction;
  senderType: SenderType;
  authorId: string | null;
  contactId: string | null;
  body: string;
  htmlBody: string | null;
  htmlBodySafe: string | null;
  status: string;
  clientMessageId: string | null;
  externalId: string | null;
  sentAt: Date;
  whisperToId: string | null;
  /** People and bots who do not write wherever they like (their access to a masked thread is checked). */
  checkedAuthor: string | null;
  attachments: (AttachmentDto & { id: string })[];
}

const PREVIEW_LENGTH = 200;

/** The statement's parameters for these messages, in order (their seqs follow the same order). */
export function groupParams(tenantId: string, conversationId: string, messages: GroupedMessage[], now: Date): Record<string, unknown> {
  const visible = messages.filter((m) => m.direction !== 'internal');
  const last = visible.at(-1);
  return {
    tenant_id: tenantId,
    conversation_id: conversationId,
    count: messages.length,
    now,
    visible_at: last ? now : null,
    preview: last ? last.body.slice(0, PREVIEW_LENGTH) : null,
    last_direction: last?.direction ?? null,
    any_inbound: messages.some((m) => m.direction === 'inbound'),
    human_reply: messages.some((m) => m.direction === 'outbound' && m.senderType === 'user'),
    // Automated (system) replies are not replies for the awaiting-reply report.
    any_reply: messages.some((m) => m.direction === 'outbound' && (m.senderType === 'user' || m.senderType === 'bot')),
    may_write_any: messages.every((m) => !m.checkedAuthor),
    check_authors: JSON.stringify([...new Set(messages.flatMap((m) => (m.checkedAuthor ? [m.checkedAuthor] : [])))]),
    messages: JSON.stringify(messages.map((m, i) => ({
      id: m.id, n: i + 1, direction: m.direction, sender_type: m.senderType, author_id: m.authorId, contact_id: m.contactId,
      body: m.body, html_body: m.htmlBody, html_body_safe: m.htmlBodySafe, status: m.status, client_message_id: m.clientMessageId,
      external_id: m.externalId, sent_at: m.sentAt.toISOString(), whisper_to_id: m.whisperToId,
    }))),
    attachments: JSON.stringify(messages.flatMap((m) => m.attachments.map((a, n) => ({
      id: a.id, message_id: m.id, n, type: a.type, url: a.url, mime: a.mime, filename: a.filename, size: a.size, width: a.width,
      height: a.height, duration: a.duration, thumbnail_url: a.thumbnailUrl,
    })))),
  };
}
