// The send path: one short transaction takes the next gap-free seq under the conversation's row lock,
// inserts, rolls the conversation up and moves the SLA clocks; a repeat fails on a unique key and answers
// the original; events go out after commit. Raw SQL here: the unit of work cost more than the database.
import { safeHtml } from '../text/sanitize.ts';
import type { EntityManager } from '@mikro-orm/core';
import { Attachment, Conversation, Message } from '../../entities/index.ts';
import type { AttachmentDto, ConversationDto, Direction, MessageDto, SenderType } from '../contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../conversations/conversation.mapper.ts';
import { fromJson, fromRow, setClause } from '../db/rows.ts';
import { loadPolicy, messagePatch, stateOf } from '../../sla/clocks.ts';
import { onStatusChange, type SlaPatch, type Status } from '../../sla/evaluate.ts';
import { sql } from '../db/sql.ts';
import { tenantFork } from '../db/tenant-scope.ts';
import type { Principal, Role } from '../auth/principal.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import type { EventBus } from '../events/domain-events.ts';
import { withDetails } from './history.service.ts';
import { isMaskable } from '../visibility/mask.ts';
import { markShared } from '../visibility/present.ts';
import { toAttachmentDto, toMessageDto } from './message.mapper.ts';
import { insertRecipients, recipientList, type RecipientInput } from './recipients.ts';
import { recordCannedUse } from '../canned/canned-responses.service.ts';

export interface NewMessage {
  tenantId: string;
  conversationId: string;
  direction: Direction;
  senderType: SenderType;
  authorId: string | null;
  contactId: string | null;
  body: string;
  /** HTML as given; its sanitized form is stored next to it. */
  htmlBody?: string | null;
  clientMessageId: string | null;
  externalId: string | null;
  sentAt?: Date;
  attachments?: (Partial<AttachmentDto> & { url: string })[];
  recipients?: RecipientInput[];
  /** The canned response the text came from: its usage is counted with the send. */
  cannedResponseId?: string | null;
  /** A whisper: an internal note for this person only (and supervisors, admins and its author). */
  whisperToId?: string | null;
  /** The role of the person or bot writing: into a masked thread only those who may read it write. */
  writerRole?: Role;
}

/** A message a person or a bot writes (socket or HTTP): the sender comes from the principal, never the payload. */
export function messageFrom(
  principal: Principal, conversationId: string,
  input: {
    clientMessageId: string; body: string; htmlBody?: string; direction?: 'outbound' | 'internal'; attachments?: NewMessage['attachments'];
    recipients?: Parameters<typeof recipientList>[0]; cannedResponseId?: string | null; whisperTo?: string | null;
  },
): NewMessage {
  return {
    tenantId: principal.tenantId, conversationId, direction: input.direction ?? 'outbound',
    senderType: principal.kind === 'bot' ? 'bot' : 'user', authorId: principal.userId, contactId: null,
    body: input.body, htmlBody: input.htmlBody ?? null, clientMessageId: input.clientMessageId, externalId: null, attachments: input.attachments,
    recipients: input.recipients ? recipientList(input.recipients) : undefined, cannedResponseId: input.cannedResponseId ?? null,
    whisperToId: input.whisperTo ?? null, writerRole: principal.role,
  };
}

export interface SendResult {
  message: MessageDto;
  conversation: ConversationDto | null;
  duplicate: boolean;
  /** An inbound message brought a snoozed or resolved conversation back to open. */
  reopened: boolean;
}

export interface SendLimits {
  maxMessageBytes: number;
}

const PREVIEW_LENGTH = 200;

async function findExisting(em: EntityManager, input: NewMessage): Promise<Message | null> {
  if (input.clientMessageId) {
    const m = await em.findOne(Message, { conversation: input.conversationId, clientMessageId: input.clientMessageId });
    if (m) return m;
  }
  if (input.externalId) {
    return em.findOne(Message, { externalId: input.externalId, conversation: input.conversationId });
  }
  return null;
}


type ConversationRow = ReturnType<typeof conversationFromRow>;

/** Contacts and the system write wherever their message belongs; of people and bots, supervisors and admins do. */
const mayWriteAnyThread = (input: NewMessage): boolean =>
  (input.senderType !== 'user' && input.senderType !== 'bot') || input.writerRole === 'admin' || input.writerRole === 'supervisor';

/** The message's effect on the SLA clocks (a reopen first starts a new cycle or resumes), written and merged into `c`. */
async function updateClocks(tx: EntityManager, c: ConversationRow, input: NewMessage, reopenedFrom: Status | null, now: Date): Promise<void> {
  const policy = await loadPolicy(tx, c.slaPolicy);
  if (!policy) return;
  let patch: SlaPatch = reopenedFrom ? onStatusChange(policy, { ...stateOf(c), status: reopenedFrom }, 'open', now) : {};
  patch = { ...patch, ...messagePatch(policy, { ...c, ...patch } as Conversation, input, now) };
  const { status: _status, ...columns } = patch;
  if (!Object.keys(columns).length) return;
  const set = setClause(columns);
  await sql(tx, `update conversations set ${set.sql} where id = ?`, [...set.params, c.id]);
  Object.assign(c, columns);
}

interface Inserted {
  message: MessageDto;
  conversation: ConversationDto;
  reopened: boolean;
}

const ATTACHMENT_COLUMNS = 'id uuid, n int, type text, url text, mime text, filename text, size bigint, width int, height int, duration double precision, thumbnail_url text';

// One statement, one round trip: the row lock (the FOR UPDATE sub-select, which also reads the status
// before this change), the next seq, the roll-up, the message, its attachments and its timeline activity
// (the same entity/conversation rule as activities/timeline.ts). An inbound message wakes a snoozed or
// resolved conversation; a closed one takes no inbound message.
const INSERT_MESSAGE = `
  with p as (select status as previous_status from conversations where id = ? and tenant_id = ? for update),
  c as (
    update conversations c set
      last_seq = c.last_seq + 1,
      message_count = c.message_count + 1,
      last_message_at = case when ?::boolean then ?::timestamptz else c.last_message_at end,
      last_message_preview = case when ?::boolean then ?::text else c.last_message_preview end,
      last_direction = case when ?::boolean then ?::text else c.last_direction end,
      status = case when ?::boolean and c.status in ('snoozed', 'resolved') then 'open' else c.status end,
      snoozed_until = case when ?::boolean and c.status in ('snoozed', 'resolved') then null else c.snoozed_until end,
      resolved_at = case when ?::boolean and c.status in ('snoozed', 'resolved') then null else c.resolved_at end,
      first_response_at = case when ?::boolean then coalesce(c.first_response_at, ?::timestamptz) else c.first_response_at end,
      last_inbound_at = case when ?::boolean then ?::timestamptz else c.last_inbound_at end,
      last_reply_at = case when ?::boolean then ?::timestamptz else c.last_reply_at end,
      updated_at = ?::timestamptz
    from p
    where c.id = ? and c.tenant_id = ? and not (c.status = 'closed' and ?::boolean)
      and (c.visibility = 'share_everything' or ?::boolean or c.assignee_id = ?::uuid
        or exists (select 1 from conversation_grants g where g.conversation_id = c.id and g.user_id = ?::uuid)
        or exists (select 1 from messages w where w.conversation_id = c.id and w.author_id = ?::uuid)
        or exists (select 1 from message_recipients r where r.conversation_id = c.id and r.user_id = ?::uuid))
    returning c.*, p.previous_status
  ),
  m as (
    insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, author_id, contact_id,
      body, html_body, html_body_safe, status, client_message_id, external_id, sent_at, created_at, whisper_to_id)
    select ?::uuid, c.tenant_id, c.id, c.inbox_id, c.last_seq, ?, ?, ?::uuid, ?::uuid, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?::uuid from c
    returning *
  ),
  a as (
    insert into attachments (id, tenant_id, message_id, type, url, mime, filename, size, width, height, duration, thumbnail_url, created_at)
    select r.id, m.tenant_id, m.id, coalesce(r.type, 'file'), r.url, r.mime, r.filename, r.size, r.width, r.height,
      r.duration, r.thumbnail_url, m.created_at + r.n * interval '1 microsecond'
    from m, jsonb_to_recordset(?::jsonb) as r(${ATTACHMENT_COLUMNS})
    returning *
  ),
  t as (
    insert into activities (id, tenant_id, entity_type, entity_id, conversation_id, kind, ref_id, actor_id, occurred_at)
    select gen_random_uuid(), c.tenant_id, coalesce(c.entity_type, 'conversation'), coalesce(c.entity_id, c.id::text), c.id, ?, m.id, ?::uuid, ?::timestamptz
    from c, m
  )
  select row_to_json(c) as conversation, row_to_json(m) as message, (select coalesce(json_agg(a), '[]'::json) from a) as attachments
  from c, m`;

async function insertInTransaction(tx: EntityManager, input: NewMessage, now: Date): Promise<Inserted> {
  const visible = input.direction !== 'internal';
  const isInbound = input.direction === 'inbound';
  const humanReply = input.direction === 'outbound' && input.senderType === 'user';
  // Automated (system) replies are not replies for the awaiting-reply report.
  const reply = input.direction === 'outbound' && (input.senderType === 'user' || input.senderType === 'bot');
  // `n` spaces their created_at a microsecond apart, so reads keep the order given; ids are ours to answer in that order.
  const attachments = (input.attachments ?? []).map((a, n) => ({
    id: crypto.randomUUID(), n, type: a.type ?? 'file', url: a.url, mime: a.mime ?? null, filename: a.filename ?? null, size: a.size ?? null,
    width: a.width ?? null, height: a.height ?? null, duration: a.duration ?? null, thumbnail_url: a.thumbnailUrl ?? null,
  }));
  // The tenant's choice on remote images is read only for the rare message that carries HTML.
  let htmlBodySafe: string | null = null;
  if (input.htmlBody != null) {
    const [tenant] = await sql<{ remote_images: boolean }>(tx, 'select remote_images from tenants where id = ?', [input.tenantId]);
    htmlBodySafe = safeHtml(input.htmlBody, { remoteImages: tenant?.remote_images === true });
  }
  if (input.whisperToId) {
    const [person] = await sql(tx, `select 1 from users where id = ? and tenant_id = ? and active and role <> 'bot'`, [input.whisperToId, input.tenantId]);
    if (!person) throw AppError.notFound('user');
  }
  const [row] = await sql<{ conversation: unknown; message: unknown; attachments: unknown }>(tx, INSERT_MESSAGE, [
    input.conversationId, input.tenantId,
    visible, now, visible, input.body.slice(0, PREVIEW_LENGTH), visible, input.direction,
    isInbound, isInbound, isInbound, humanReply, now, isInbound, now, reply, now, now,
    input.conversationId, input.tenantId, isInbound,
    mayWriteAnyThread(input), input.authorId, input.authorId, input.authorId, input.authorId,
    crypto.randomUUID(), input.direction, input.senderType, input.authorId, input.contactId, input.body,
    input.htmlBody ?? null, htmlBodySafe,
    input.direction === 'outbound' ? 'sent' : 'delivered', input.clientMessageId, input.externalId, input.sentAt ?? now, now, input.whisperToId ?? null,
    JSON.stringify(attachments),
    `message.${input.direction}`, input.authorId, now,
  ]);
  if (!row) {
    const [existing] = await sql<{ status: string }>(tx, 'select status from conversations where id = ? and tenant_id = ?', [input.conversationId, input.tenantId]);
    if (!existing) throw AppError.notFound('conversation');
    if (existing.status === 'closed' && isInbound) throw AppError.conflict('conversation is closed');
    throw AppError.forbidden('only those who may read this masked thread may write into it');
  }
  const conversationRow = fromJson<Record<string, unknown>>(row.conversation);
  const previousStatus = conversationRow.previous_status as Status;
  delete conversationRow.previous_status;
  const conversation = conversationFromRow(conversationRow);
  const reopened = isInbound && (previousStatus === 'snoozed' || previousStatus === 'resolved');
  await updateClocks(tx, conversation, input, reopened ? previousStatus : null, now);
  const message = fromRow<Message>(fromJson(row.message));
  const order = new Map<string, number>(attachments.map((a) => [a.id, a.n]));
  const attachmentRows = fromJson<Record<string, unknown>[]>(row.attachments).map((a) => fromRow<Attachment>(a))
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(toAttachmentDto);
  const recipients = input.recipients?.length ? await insertRecipients(tx, message, input.recipients) : [];
  if (input.cannedResponseId) await recordCannedUse(tx, input.tenantId, input.cannedResponseId, input.authorId, now);
  return {
    message: markShared(toMessageDto(message, attachmentRows, recipients), conversation.visibility),
    conversation: toConversationDto(conversation), reopened,
  };
}

/** A first message in a masked thread makes its author a participant: their joined sockets now hear it in full. */
async function announceAuthorship(em: EntityManager, bus: EventBus, input: NewMessage, conversation: ConversationDto): Promise<void> {
  if (conversation.assigneeId === input.authorId) return;
  const [row] = await sql<{ n: string | number }>(em,
    'select count(*) as n from messages where conversation_id = ? and author_id = ?', [input.conversationId, input.authorId]);
  if (Number(row.n) !== 1) return;
  bus.publish({ type: 'access.changed', tenantId: input.tenantId, conversationId: input.conversationId, userId: input.authorId!, full: true });
}

interface SendJob {
  em: EntityManager;
  bus: EventBus;
  input: NewMessage;
  resolve(result: SendResult): void;
  reject(err: unknown): void;
}

/** Up to this many queued sends of one conversation commit together. */
const MAX_GROUP = 64;
// Per conversation (and tenant): sends waiting for the one in progress. Within one node, one
// conversation's sends commit and emit one group after another, so this node emits them in seq order.
const queues = new Map<string, SendJob[]>();

/** After the commit: the events, and a masked thread's new participant. */
async function announce(job: SendJob, result: Inserted): Promise<SendResult> {
  const { input, bus } = job;
  bus.publish({ type: 'message.created', tenantId: input.tenantId, conversation: result.conversation, message: result.message });
  bus.publish({ type: 'conversation.updated', tenantId: input.tenantId, conversation: result.conversation });
  if (input.authorId && isMaskable(result.conversation)) await announceAuthorship(tenantFork(job.em, input.tenantId), bus, input, result.conversation);
  return { ...result, duplicate: false };
}

/** One send in its own transaction. No read before the write: a repeat fails on the unique key, rolls back (consuming no seq) and answers the original. */
async function sendAlone(job: SendJob): Promise<SendResult> {
  const { em, input } = job;
  let result: Inserted;
  try {
    result = await tenantFork(em, input.tenantId).transactional((tx) => insertInTransaction(tx, input, new Date()));
  } catch (err) {
    // A concurrent retry of the same send (another node) won the unique key: answer its message.
    if (!isUniqueViolation(err)) throw err;
    const original = await findExisting(tenantFork(em, input.tenantId), input);
    if (!original) throw err;
    // A retry answers its own sender only: another's id names someone else's message, which is not theirs to read.
    if ((input.senderType === 'user' || input.senderType === 'bot') && original.author !== input.authorId) {
      throw AppError.conflict('clientMessageId: already used by another sender in this conversation');
    }
    const [message] = await withDetails(em, [original]);
    return { message, conversation: null, duplicate: true, reopened: false };
  }
  return announce(job, result);
}

/**
 * Group commit: the sends that queued up behind the previous group take consecutive seqs in one
 * transaction and are acked after its commit. Any failure in the group (a repeat, a closed thread)
 * rolls it back whole, and its sends are then replayed one by one, so each gets its own answer.
 */
async function sendGroup(group: SendJob[]): Promise<void> {
  if (group.length > 1) {
    const { em, input } = group[0];
    let results: Inserted[] | null = null;
    try {
      results = await tenantFork(em, input.tenantId).transactional(async (tx) => {
        const out: Inserted[] = [];
        for (const job of group) out.push(await insertInTransaction(tx, job.input, new Date()));
        return out;
      });
    } catch {
      results = null;
    }
    if (results) {
      for (const [i, job] of group.entries()) await announce(job, results[i]).then(job.resolve, job.reject);
      return;
    }
  }
  for (const job of group) await sendAlone(job).then(job.resolve, job.reject);
}

async function drain(key: string): Promise<void> {
  for (let queue = queues.get(key); queue?.length; queue = queues.get(key)) {
    await sendGroup(queue.splice(0, MAX_GROUP));
  }
  queues.delete(key);
}

/** Commits the message, then publishes `message.created` (unread counts follow from it) and `conversation.updated`. */
export async function sendMessage(
  em: EntityManager, bus: EventBus, limits: SendLimits, input: NewMessage,
): Promise<SendResult> {
  if (Buffer.byteLength(input.body, 'utf8') > limits.maxMessageBytes) {
    throw AppError.payloadTooLarge(`body: at most ${limits.maxMessageBytes} bytes`);
  }
  if (input.htmlBody != null && Buffer.byteLength(input.htmlBody, 'utf8') > limits.maxMessageBytes) {
    throw AppError.payloadTooLarge(`htmlBody: at most ${limits.maxMessageBytes} bytes`);
  }
  if (!input.body.trim() && !input.htmlBody?.trim() && !(input.attachments?.length)) throw AppError.validation('body: empty message');
  return new Promise<SendResult>((resolve, reject) => {
    const key = `${input.tenantId}:${input.conversationId}`;
    const queue = queues.get(key);
    const job = { em, bus, input, resolve, reject };
    if (queue) {
      queue.push(job);
      return;
    }
    queues.set(key, [job]);
    drain(key).catch(reject);
  });
}
