// The send path: one short transaction takes the next gap-free seq under the conversation's row lock,
// dedupes on clientMessageId / externalId, inserts, rolls the conversation up; events go out after commit.
import type { EntityManager } from '@mikro-orm/core';
import { Attachment, Conversation, Message } from '../../entities/index.ts';
import { addToTimeline } from '../activities/timeline.ts';
import type { AttachmentDto, ConversationDto, Direction, MessageDto, SenderType } from '../contract/dto.ts';
import { toConversationDto } from '../conversations/conversation.mapper.ts';
import { applyPatch, loadPolicy, messagePatch, stateOf } from '../../sla/clocks.ts';
import { onStatusChange, type Status } from '../../sla/evaluate.ts';
import { sql } from '../db/sql.ts';
import { tenantFork } from '../db/tenant-scope.ts';
import { AppError } from '../errors.ts';
import type { EventBus } from '../events/domain-events.ts';
import { notifyUnread } from '../read-state/read-state.service.ts';
import { KeyedMutex } from '../util/keyed-mutex.ts';
import { toAttachmentDto, toMessageDto } from './message.mapper.ts';

export interface NewMessage {
  tenantId: string;
  conversationId: string;
  direction: Direction;
  senderType: SenderType;
  authorId: string | null;
  contactId: string | null;
  body: string;
  clientMessageId: string | null;
  externalId: string | null;
  sentAt?: Date;
  attachments?: (Partial<AttachmentDto> & { url: string })[];
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
// Within one node, one conversation's sends run one after another, so this node emits them in seq order.
const conversationLocks = new KeyedMutex();

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

async function withAttachments(em: EntityManager, message: Message): Promise<MessageDto> {
  const attachments = await em.find(Attachment, { message: message.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return toMessageDto(message, attachments.map(toAttachmentDto));
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { name?: string }).name === 'UniqueConstraintViolationException';
}

/** The message's effect on the SLA clocks (a reopen first starts a new cycle or resumes). */
async function updateClocks(tx: EntityManager, conversation: Conversation, input: NewMessage, reopenedFrom: Status | null, now: Date): Promise<void> {
  const policy = await loadPolicy(tx, conversation.slaPolicy);
  if (!policy) return;
  if (reopenedFrom) applyPatch(conversation, onStatusChange(policy, { ...stateOf(conversation), status: reopenedFrom }, 'open', now));
  applyPatch(conversation, messagePatch(policy, conversation, input, now));
}

interface Inserted {
  message: MessageDto;
  conversation: ConversationDto;
  reopened: boolean;
}

async function insertInTransaction(tx: EntityManager, input: NewMessage, now: Date): Promise<Inserted> {
  const visible = input.direction !== 'internal';
  const preview = input.body.slice(0, PREVIEW_LENGTH);
  const isInbound = input.direction === 'inbound';
  // The row lock and the seq in one statement; an inbound message wakes a snoozed or resolved conversation.
  // The row lock (the FOR UPDATE sub-select, which also reads the status before this change) and the
  // next seq in one statement; an inbound message wakes a snoozed or resolved conversation.
  const [row] = await sql(tx, `
    update conversations c set
      last_seq = c.last_seq + 1,
      message_count = c.message_count + 1,
      last_message_at = case when ? then ? else c.last_message_at end,
      last_message_preview = case when ? then ? else c.last_message_preview end,
      last_direction = case when ? then ? else c.last_direction end,
      status = case when ? and c.status in ('snoozed', 'resolved') then 'open' else c.status end,
      snoozed_until = case when ? and c.status in ('snoozed', 'resolved') then null else c.snoozed_until end,
      resolved_at = case when ? and c.status in ('snoozed', 'resolved') then null else c.resolved_at end,
      updated_at = ?
    from (select status as previous_status from conversations where id = ? and tenant_id = ? for update) p
    where c.id = ? and c.tenant_id = ?
    returning c.*, p.previous_status`,
  [visible, now, visible, preview, visible, input.direction, isInbound, isInbound, isInbound, now,
    input.conversationId, input.tenantId, input.conversationId, input.tenantId]);
  if (!row) throw AppError.notFound('conversation');
  const previousStatus = row.previous_status;
  const reopened = isInbound && (previousStatus === 'snoozed' || previousStatus === 'resolved');
  delete row.previous_status;
  const conversation = tx.map(Conversation, row);
  if (conversation.status === 'closed' && isInbound) throw AppError.conflict('conversation is closed');
  const humanReply = input.direction === 'outbound' && input.senderType === 'user';
  if (humanReply && !conversation.firstResponseAt) conversation.firstResponseAt = now;
  await updateClocks(tx, conversation, input, reopened ? (previousStatus as Status) : null, now);
  const message = tx.create(Message, {
    tenant: input.tenantId,
    conversation: input.conversationId,
    inbox: conversation.inbox,
    seq: conversation.lastSeq,
    direction: input.direction,
    senderType: input.senderType,
    author: input.authorId,
    contact: input.contactId,
    body: input.body,
    clientMessageId: input.clientMessageId,
    externalId: input.externalId,
    sentAt: input.sentAt ?? now,
    status: input.direction === 'outbound' ? 'sent' : 'delivered',
  });
  const attachments = (input.attachments ?? []).map((a) => tx.create(Attachment, {
    tenant: input.tenantId, message: message.id, type: a.type ?? 'file', url: a.url, mime: a.mime ?? null,
    filename: a.filename ?? null, size: a.size ?? null, width: a.width ?? null, height: a.height ?? null,
    duration: a.duration ?? null, thumbnailUrl: a.thumbnailUrl ?? null,
  }));
  addToTimeline(tx, { tenantId: input.tenantId, conversation, kind: `message.${input.direction}`, refId: message.id, actorId: input.authorId, at: now });
  await tx.flush();
  return { message: toMessageDto(message, attachments.map(toAttachmentDto)), conversation: toConversationDto(conversation), reopened };
}

/** Commits the message, then publishes `message.created` and `conversation.updated`. */
export async function sendMessage(
  em: EntityManager, bus: EventBus, limits: SendLimits, input: NewMessage,
): Promise<SendResult> {
  if (Buffer.byteLength(input.body, 'utf8') > limits.maxMessageBytes) {
    throw AppError.payloadTooLarge(`body: at most ${limits.maxMessageBytes} bytes`);
  }
  if (!input.body.trim() && !(input.attachments?.length)) throw AppError.validation('body: empty message');
  return conversationLocks.run(input.conversationId, async () => {
    // No read before the write: a repeat fails on the unique key, rolls back (consuming no seq) and answers the original.
    let result: Inserted;
    try {
      result = await tenantFork(em, input.tenantId).transactional((tx) => insertInTransaction(tx, input, new Date()));
    } catch (err) {
      // A concurrent retry of the same send (another node) won the unique key: answer its message.
      if (!isUniqueViolation(err)) throw err;
      const original = await findExisting(tenantFork(em, input.tenantId), input);
      if (!original) throw err;
      return { message: await withAttachments(em, original), conversation: null, duplicate: true, reopened: false };
    }
    bus.publish({ type: 'message.created', tenantId: input.tenantId, conversation: result.conversation, message: result.message });
    bus.publish({ type: 'conversation.updated', tenantId: input.tenantId, conversation: result.conversation });
    await notifyUnread(tenantFork(em, input.tenantId), bus, input.tenantId, input.conversationId, input.authorId, input.direction === 'internal');
    return { ...result, duplicate: false };
  });
}
