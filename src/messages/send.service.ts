// The send path's orchestration: validate, queue per conversation, commit each group of queued sends in one
// short transaction (send-statement.ts), then publish. A repeat fails on its unique key and answers the
// original to its own sender; events go out after commit, in seq order per conversation on this node.
import type { EntityManager } from '@mikro-orm/core';
import { Message } from '../../entities/index.ts';
import type { AttachmentDto, ConversationDto, Direction, MessageDto, RecipientDto, SenderType } from '../contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../conversations/conversation.mapper.ts';
import { setClause } from '../db/rows.ts';
import { sql } from '../db/sql.ts';
import type { TenantTransactions, Tx } from '../db/tenant-transaction.ts';
import { tenantFork } from '../db/tenant-scope.ts';
import { loadPolicy, messagePatch, stateOf } from '../../sla/clocks.ts';
import { onStatusChange, type SlaPatch, type Status } from '../../sla/evaluate.ts';
import type { Principal, Role } from '../auth/principal.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import type { EventBus } from '../events/domain-events.ts';
import { safeHtml } from '../text/sanitize.ts';
import { KeyedBatcher } from '../util/keyed-batcher.ts';
import { isMaskable } from '../visibility/mask.ts';
import { markShared } from '../visibility/present.ts';
import { withDetails } from './history.service.ts';
import { insertRecipients, recipientList, type RecipientInput } from './recipients.ts';
import { groupParams, INSERT_GROUP, type GroupedMessage } from './send-statement.ts';
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

/** Up to this many queued sends of one conversation commit together. */
const MAX_GROUP = 64;

interface SendJob {
  em: EntityManager;
  input: NewMessage;
}

interface Committed {
  messages: MessageDto[];
  conversation: ConversationDto;
  reopened: boolean;
}

/** Contacts and the system write wherever their message belongs; of people and bots, supervisors and admins do. */
const checkedAuthor = (input: NewMessage): string | null =>
  (input.senderType === 'user' || input.senderType === 'bot') && input.writerRole !== 'admin' && input.writerRole !== 'supervisor'
    ? input.authorId : null;

function validate(input: NewMessage, limits: SendLimits): void {
  if (Buffer.byteLength(input.body, 'utf8') > limits.maxMessageBytes) {
    throw AppError.payloadTooLarge(`body: at most ${limits.maxMessageBytes} bytes`);
  }
  if (input.htmlBody != null && Buffer.byteLength(input.htmlBody, 'utf8') > limits.maxMessageBytes) {
    throw AppError.payloadTooLarge(`htmlBody: at most ${limits.maxMessageBytes} bytes`);
  }
  if (!input.body.trim() && !input.htmlBody?.trim() && !(input.attachments?.length)) throw AppError.validation('body: empty message');
}

/** Each input as the statement writes it: ids, sanitized HTML (the tenant's choice on remote images), checked whispers. */
async function prepare(tx: Tx, inputs: NewMessage[], now: Date): Promise<GroupedMessage[]> {
  let remoteImages: boolean | null = null;
  const out: GroupedMessage[] = [];
  for (const input of inputs) {
    if (input.whisperToId) {
      const [person] = await tx.query(`select 1 from users where id = ? and tenant_id = ? and active and role <> 'bot'`, [input.whisperToId, input.tenantId]);
      if (!person) throw AppError.notFound('user');
    }
    if (input.htmlBody != null && remoteImages === null) {
      // Read only for the rare message that carries HTML.
      const [tenant] = await tx.query<{ remote_images: boolean }>('select remote_images from tenants where id = ?', [input.tenantId]);
      remoteImages = tenant?.remote_images === true;
    }
    out.push({
      id: crypto.randomUUID(), direction: input.direction, senderType: input.senderType, authorId: input.authorId, contactId: input.contactId,
      body: input.body, htmlBody: input.htmlBody ?? null,
      htmlBodySafe: input.htmlBody == null ? null : safeHtml(input.htmlBody, { remoteImages: remoteImages === true }),
      status: input.direction === 'outbound' ? 'sent' : 'delivered', clientMessageId: input.clientMessageId, externalId: input.externalId,
      sentAt: input.sentAt ?? now, whisperToId: input.whisperToId ?? null, checkedAuthor: checkedAuthor(input),
      attachments: (input.attachments ?? []).map((a) => ({
        id: crypto.randomUUID(), type: a.type ?? 'file', url: a.url, mime: a.mime ?? null, filename: a.filename ?? null, size: a.size ?? null,
        width: a.width ?? null, height: a.height ?? null, duration: a.duration ?? null, thumbnailUrl: a.thumbnailUrl ?? null,
      })),
    });
  }
  return out;
}

/** Why the statement wrote nothing. */
async function refusal(tx: Tx, inputs: NewMessage[]): Promise<AppError> {
  const { tenantId, conversationId } = inputs[0];
  const [existing] = await tx.query<{ status: string }>('select status from conversations where id = ? and tenant_id = ?', [conversationId, tenantId]);
  if (!existing) return AppError.notFound('conversation');
  if (existing.status === 'closed' && inputs.some((i) => i.direction === 'inbound')) return AppError.conflict('conversation is closed');
  return AppError.forbidden('only those who may read this masked thread may write into it');
}

/** The group's effect on the SLA clocks (a reopen first starts a new cycle or resumes), written with one update. */
async function updateClocks(tx: Tx, em: EntityManager, c: ReturnType<typeof conversationFromRow>, inputs: NewMessage[], reopenedFrom: Status | null, now: Date): Promise<void> {
  const policy = await loadPolicy(em, c.slaPolicy);
  if (!policy) return;
  let patch: SlaPatch = reopenedFrom ? onStatusChange(policy, { ...stateOf(c), status: reopenedFrom }, 'open', now) : {};
  for (const input of inputs) patch = { ...patch, ...messagePatch(policy, { ...c, ...patch } as typeof c, input, now) };
  const { status: _status, ...columns } = patch;
  if (!Object.keys(columns).length) return;
  const set = setClause(columns);
  await tx.query(`update conversations set ${set.sql} where id = ?`, [...set.params, c.id]);
  Object.assign(c, columns);
}

function toDto(m: GroupedMessage, seq: number, conversationId: string, now: Date, recipients: RecipientDto[]): MessageDto {
  return {
    id: m.id, conversationId, seq, direction: m.direction, senderType: m.senderType, authorId: m.authorId, contactId: m.contactId,
    body: m.body, htmlBody: m.htmlBody, htmlBodySafe: m.htmlBodySafe, status: m.status as MessageDto['status'],
    clientMessageId: m.clientMessageId, externalId: m.externalId, attachments: m.attachments.map(({ id: _id, ...a }) => a), recipients,
    pinnedAt: null, pinnedById: null, whisperToId: m.whisperToId, masked: false, sentAt: m.sentAt.toISOString(), createdAt: now.toISOString(),
  };
}

export class MessageSender {
  readonly #bus: EventBus;
  readonly #transactions: TenantTransactions;
  readonly #limits: SendLimits;
  // Per conversation (and tenant), sends wait for the group in progress: within one node a conversation's
  // sends commit and are announced one group after another, so this node emits them in seq order.
  readonly #groups = new KeyedBatcher<SendJob, SendResult>(MAX_GROUP, (_key, jobs) => this.#sendGroup(jobs));

  constructor(bus: EventBus, transactions: TenantTransactions, limits: SendLimits) {
    this.#bus = bus;
    this.#transactions = transactions;
    this.#limits = limits;
  }

  /** Commits the message, then publishes `message.created` (unread counts follow from it) and `conversation.updated`. */
  send(em: EntityManager, input: NewMessage): Promise<SendResult> {
    try {
      validate(input, this.#limits);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#groups.push(`${input.tenantId}:${input.conversationId}`, { em, input });
  }

  /** One transaction for the whole group: one update of the conversation, one insert of its messages. */
  #commit(jobs: SendJob[]): Promise<Committed> {
    const inputs = jobs.map((j) => j.input);
    const { em } = jobs[0];
    const { tenantId, conversationId } = inputs[0];
    const now = new Date();
    return this.#transactions(em, tenantId, async (tx) => {
      const grouped = await prepare(tx, inputs, now);
      const [row] = await tx.run<Record<string, unknown>>(INSERT_GROUP, groupParams(tenantId, conversationId, grouped, now));
      if (!row) throw await refusal(tx, inputs);
      const { previous_status: previousStatus, ...columns } = row;
      const conversation = conversationFromRow(columns);
      const reopened = inputs.some((i) => i.direction === 'inbound') && (previousStatus === 'snoozed' || previousStatus === 'resolved');
      await updateClocks(tx, em, conversation, inputs, reopened ? previousStatus as Status : null, now);
      const firstSeq = conversation.lastSeq - grouped.length + 1;
      const messages: MessageDto[] = [];
      for (const [i, m] of grouped.entries()) {
        const input = inputs[i];
        const recipients = input.recipients?.length
          ? await insertRecipients(tx, { id: m.id, tenant: tenantId, conversation: conversationId, createdAt: now }, input.recipients) : [];
        if (input.cannedResponseId) await recordCannedUse(tx, tenantId, input.cannedResponseId, input.authorId, now);
        messages.push(markShared(toDto(m, firstSeq + i, conversationId, now, recipients), conversation.visibility));
      }
      return { messages, conversation: toConversationDto(conversation), reopened };
    });
  }

  /** After the commit: the events in seq order, and a masked thread's new participants. */
  async #announce(jobs: SendJob[], committed: Committed): Promise<SendResult[]> {
    const { tenantId } = jobs[0].input;
    for (const message of committed.messages) this.#bus.publish({ type: 'message.created', tenantId, conversation: committed.conversation, message });
    this.#bus.publish({ type: 'conversation.updated', tenantId, conversation: committed.conversation });
    if (isMaskable(committed.conversation)) {
      const written = new Map<string, number>();
      for (const j of jobs) if (j.input.authorId) written.set(j.input.authorId, (written.get(j.input.authorId) ?? 0) + 1);
      for (const [authorId, count] of written) await this.#announceAuthorship(tenantFork(jobs[0].em, tenantId), tenantId, committed.conversation, authorId, count);
    }
    return committed.messages.map((message, i) => ({ message, conversation: committed.conversation, duplicate: false, reopened: i === 0 && committed.reopened }));
  }

  /** A first message in a masked thread makes its author a participant: their joined sockets now hear it in full. */
  async #announceAuthorship(em: EntityManager, tenantId: string, conversation: ConversationDto, authorId: string, inGroup: number): Promise<void> {
    if (conversation.assigneeId === authorId) return;
    const [row] = await sql<{ n: string | number }>(em, 'select count(*) as n from messages where conversation_id = ? and author_id = ?', [conversation.id, authorId]);
    if (Number(row.n) !== inGroup) return;
    this.#bus.publish({ type: 'access.changed', tenantId, conversationId: conversation.id, userId: authorId, full: true });
  }

  /** One send in its own transaction; a repeat fails on its unique key (consuming no seq) and answers the original. */
  async #sendAlone(job: SendJob): Promise<SendResult> {
    try {
      const [result] = await this.#announce([job], await this.#commit([job]));
      return result;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.#original(job, err);
    }
  }

  /** The message a repeated clientMessageId (or a channel's externalId) names, for its own sender only. */
  async #original(job: SendJob, err: unknown): Promise<SendResult> {
    const { input } = job;
    const em = tenantFork(job.em, input.tenantId);
    const where: Record<string, unknown> = { conversation: input.conversationId };
    if (input.clientMessageId) where.clientMessageId = input.clientMessageId;
    else if (input.externalId) where.externalId = input.externalId;
    else throw err;
    const original = await em.findOne(Message, where);
    if (!original) throw err;
    // Another's id names someone else's message, which is not theirs to read.
    if ((input.senderType === 'user' || input.senderType === 'bot') && original.author !== input.authorId) {
      throw AppError.conflict('clientMessageId: already used by another sender in this conversation');
    }
    const [message] = await withDetails(em, [original]);
    return { message, conversation: null, duplicate: true, reopened: false };
  }

  /**
   * Group commit: the sends that queued up behind the previous group take consecutive seqs in one transaction
   * and are acked after its commit. Any failure in the group (a repeat, a closed thread) rolls it back whole,
   * and its sends are then replayed one by one, so each gets its own answer.
   */
  async #sendGroup(jobs: SendJob[]): Promise<PromiseSettledResult<SendResult>[]> {
    if (jobs.length > 1) {
      const committed = await this.#commit(jobs).catch(() => null);
      if (committed) return (await this.#announce(jobs, committed)).map((value) => ({ status: 'fulfilled', value }));
    }
    const outcomes: PromiseSettledResult<SendResult>[] = [];
    for (const job of jobs) {
      outcomes.push(await this.#sendAlone(job).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason })));
    }
    return outcomes;
  }
}
