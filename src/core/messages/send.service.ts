// The send path's orchestration: validate, queue per conversation, commit each group of queued sends in one
// short transaction (send-statement.ts), then publish. A repeat fails on its unique key and answers the
// original to its own sender; events go out after commit, in seq order per conversation on this node.
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { EntityManager } from '@mikro-orm/core';
import { Message } from '../../../entities/index.ts';
import type { AttachmentDto, ConversationDto, Direction, MessageDto, RecipientDto, SenderType } from '../../contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../../model/conversation.mapper.ts';

import { sql } from '../../platform/db/sql.ts';
import type { TenantTransactions, Tx } from '../../platform/db/tenant-transaction.ts';
import { tenantFork } from '../../platform/db/tenant-scope.ts';
import { loadPolicyIn, messagePatch, stateOf } from '../../../sla/clocks.ts';
import { onStatusChange, type SlaPatch, type Status } from '../../../sla/evaluate.ts';
import type { Principal, Role } from '../../platform/auth/principal.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { safeHtml } from '../../platform/text/sanitize.ts';
import { KeyedBatcher } from '../../platform/util/keyed-batcher.ts';
import { isMaskable } from '../../model/mask.ts';
import { markShared } from '../visibility/present.ts';
import { isoOrNull as iso } from '../../platform/util/iso.ts';
import { withDetails } from './history.service.ts';
import { insertRecipients } from './recipients.ts';
import { validateMessage, type NewMessage, type SendLimits } from './new-message.ts';
import { batchParams, INSERT_BATCH, UPDATE_CLOCKS, type BatchedMessage } from './send-statement.ts';

export interface SendResult {
  message: MessageDto;
  conversation: ConversationDto | null;
  duplicate: boolean;
  /** An inbound message brought a snoozed or resolved conversation back to open. */
  reopened: boolean;
}

/**
 * Work that goes with each message in its send's transaction: it may refuse the send (a canned response that
 * does not exist) and then nothing is written. Passed in, so that features hang off the send path.
 */
export type SendFollower = (tx: Tx, tenantId: string, message: NewMessage, at: Date) => Promise<void>;

/** Up to this many queued sends of one tenant commit together. */
const MAX_BATCH = 256;

interface SendJob {
  em: EntityManager;
  input: NewMessage;
}

/** What one conversation's group became. */
interface Committed {
  messages: MessageDto[];
  conversation: ConversationDto;
  reopened: boolean;
  /** The group moved the status (a reopen, or a new conversation's first human touch). */
  statusMoved: boolean;
  /** The group moved the SLA clocks: more than the roll-up changed. */
  clocksMoved: boolean;
  /** The conversation's last seq after the group. */
  lastSeq: number;
}

/** Contacts and the system write wherever their message belongs; of people and bots, supervisors and admins do. */
const checkedAuthor = (input: NewMessage): string | null =>
  (input.senderType === 'user' || input.senderType === 'bot') && input.writerRole !== 'admin' && input.writerRole !== 'supervisor'
    ? input.authorId : null;

/** Each input as the statement writes it: ids, sanitized HTML (the tenant's choice on remote images), checked whispers. */
async function prepare(tx: Tx, inputs: NewMessage[], now: Date): Promise<BatchedMessage[]> {
  let remoteImages: boolean | null = null;
  const out: BatchedMessage[] = [];
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
      conversationId: input.conversationId, id: crypto.randomUUID(), direction: input.direction, senderType: input.senderType, authorId: input.authorId, contactId: input.contactId,
      source: input.source ?? null, subject: input.subject ?? null, type: input.type ?? 'text', metadata: input.metadata ?? null,
      body: input.body, htmlBody: input.htmlBody ?? null,
      htmlBodySafe: input.htmlBody == null ? null : safeHtml(input.htmlBody, { remoteImages: remoteImages === true }),
      status: input.direction === 'outbound' ? 'sent' : 'delivered', clientMessageId: input.clientMessageId, externalId: input.externalId,
      sentAt: input.sentAt ?? now, whisperToId: input.whisperToId ?? null, checkedAuthor: checkedAuthor(input),
      attachments: (input.attachments ?? []).map((a) => ({
        id: crypto.randomUUID(), type: a.type ?? 'file', url: a.url, mime: a.mime ?? null, filename: a.filename ?? null, size: a.size ?? null,
        width: a.width ?? null, height: a.height ?? null, duration: a.duration ?? null, thumbnailUrl: a.thumbnailUrl ?? null,
        platformUrl: a.platformUrl ?? null, metadata: a.metadata ?? null, archivedAt: null,
      })),
    });
  }
  return out;
}

/** Why the statement left a send's conversation out. */
async function refusal(tx: Tx, input: NewMessage): Promise<AppError> {
  const [existing] = await tx.query<{ status: string }>('select status from conversations where id = ? and tenant_id = ?', [input.conversationId, input.tenantId]);
  if (!existing) return AppError.notFound('conversation');
  if (existing.status === 'closed' && input.direction === 'inbound') return AppError.conflict('conversation is closed');
  if (existing.status === 'archived' && input.direction !== 'inbound') return AppError.conflict('conversation is archived');
  return AppError.forbidden('only those who may read this masked thread may write into it');
}

type ConversationRow = ReturnType<typeof conversationFromRow>;

/** A group's effect on its conversation's SLA clocks (a reopen first starts a new cycle or resumes); null when they did not move. */
async function clocksAfter(tx: Tx, c: ConversationRow, inputs: NewMessage[], reopenedFrom: Status | null, now: Date): Promise<SlaPatch | null> {
  const policy = await loadPolicyIn(tx, c.slaPolicy);
  if (!policy) return null;
  let patch: SlaPatch = reopenedFrom ? onStatusChange(policy, { ...stateOf(c), status: reopenedFrom }, 'open', now) : {};
  for (const input of inputs) patch = { ...patch, ...messagePatch(policy, { ...c, ...patch } as ConversationRow, input, now) };
  const { status: _status, ...columns } = patch;
  return Object.keys(columns).length ? columns : null;
}

/** The SLA columns as UPDATE_CLOCKS writes them. */
function clockRow(id: string, s: ReturnType<typeof stateOf>) {
  return {
    id, sla_cycle: s.slaCycle, first_response_due_at: iso(s.firstResponseDueAt), first_response_warn_at: iso(s.firstResponseWarnAt),
    first_response_breached_at: iso(s.firstResponseBreachedAt), sla_first_response_met_at: iso(s.slaFirstResponseMetAt),
    next_response_due_at: iso(s.nextResponseDueAt), next_response_warn_at: iso(s.nextResponseWarnAt),
    next_response_breached_at: iso(s.nextResponseBreachedAt), sla_next_response_clock: s.slaNextResponseClock,
    resolution_due_at: iso(s.resolutionDueAt), resolution_warn_at: iso(s.resolutionWarnAt), resolution_breached_at: iso(s.resolutionBreachedAt),
    sla_paused_at: iso(s.slaPausedAt), sla_next_check_at: iso(s.slaNextCheckAt),
  };
}

function toDto(m: BatchedMessage, seq: number, now: Date, recipients: RecipientDto[]): MessageDto {
  return {
    id: m.id, conversationId: m.conversationId, seq, direction: m.direction, senderType: m.senderType, authorId: m.authorId, contactId: m.contactId,
    source: m.source, subject: m.subject, type: m.type, body: m.body, htmlBody: m.htmlBody, htmlBodySafe: m.htmlBodySafe, status: m.status as MessageDto['status'],
    deliveredAt: null, readAt: null, failedAt: null, errorMessage: null, metadata: m.metadata,
    clientMessageId: m.clientMessageId, externalId: m.externalId, attachments: m.attachments.map(({ id: _id, ...a }) => a), recipients,
    pinnedAt: null, pinnedById: null, whisperToId: m.whisperToId, masked: false, sentAt: m.sentAt.toISOString(), createdAt: now.toISOString(),
    updatedAt: now.toISOString(), deletedAt: null,
  };
}

export class MessageSender {
  readonly #bus: EventBus;
  readonly #transactions: TenantTransactions;
  readonly #limits: SendLimits;
  // Per tenant, sends wait for the batch in progress and go together in the next one: within one node a
  // conversation's sends commit and are announced one batch after another, so this node emits them in seq order.
  readonly #batches = new KeyedBatcher<SendJob, SendResult>(MAX_BATCH, (_tenant, jobs) => this.#sendBatch(jobs));

  readonly #followers: readonly SendFollower[];

  readonly #clock: Clock;

  constructor(bus: EventBus, transactions: TenantTransactions, limits: SendLimits, followers: readonly SendFollower[] = [], clock: Clock = systemClock) {
    this.#bus = bus;
    this.#transactions = transactions;
    this.#limits = limits;
    this.#followers = followers;
    this.#clock = clock;
  }

  /** Commits the message, then publishes `message.created` (unread counts follow from it) and `conversation.updated`. */
  send(em: EntityManager, input: NewMessage): Promise<SendResult> {
    try {
      validateMessage(input, this.#limits);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#batches.push(input.tenantId, { em, input });
  }

  /**
   * One transaction for the whole batch: one statement for the messages of every conversation in it (and one for
   * the SLA clocks that moved). Answers each conversation's outcome; a conversation that refused is absent.
   */
  #commit(jobs: SendJob[]): Promise<Map<string, Committed>> {
    const inputs = jobs.map((j) => j.input);
    const { tenantId } = inputs[0];
    const now = this.#clock.now();
    return this.#transactions(tenantId, async (tx) => {
      const batched = await prepare(tx, inputs, now);
      const rows = await tx.run<Record<string, unknown>>(INSERT_BATCH, batchParams(tenantId, batched, now));
      const committed = new Map<string, Committed>();
      const clocks: ReturnType<typeof clockRow>[] = [];
      for (const row of rows) {
        const { previous_status: previousStatus, batch_count: _count, ...columns } = row;
        const conversation = conversationFromRow(columns);
        const mine = inputs.filter((i) => i.conversationId === conversation.id);
        const reopened = mine.some((i) => i.direction === 'inbound') && (previousStatus === 'snoozed' || previousStatus === 'resolved' || previousStatus === 'archived');
        const patch = await clocksAfter(tx, conversation, mine, reopened ? previousStatus as Status : null, now);
        if (patch) {
          Object.assign(conversation, patch);
          clocks.push(clockRow(conversation.id, stateOf(conversation)));
        }
        committed.set(conversation.id, {
          messages: [], conversation: toConversationDto(conversation), reopened, statusMoved: conversation.status !== previousStatus,
          clocksMoved: patch !== null, lastSeq: conversation.lastSeq,
        });
      }
      if (clocks.length) await tx.run(UPDATE_CLOCKS, { tenant_id: tenantId, clocks: JSON.stringify(clocks) });
      // Seqs in arrival order per conversation, after what the conversation had.
      const counts = new Map<string, number>();
      for (const input of inputs) counts.set(input.conversationId, (counts.get(input.conversationId) ?? 0) + 1);
      const taken = new Map<string, number>();
      for (const [i, m] of batched.entries()) {
        const group = committed.get(m.conversationId);
        if (!group) continue;
        const input = inputs[i];
        const before = taken.get(m.conversationId) ?? 0;
        taken.set(m.conversationId, before + 1);
        const seq = group.lastSeq - counts.get(m.conversationId)! + before + 1;
        const recipients = input.recipients?.length
          ? await insertRecipients(tx, { id: m.id, tenant: tenantId, conversation: m.conversationId, createdAt: now }, input.recipients) : [];
        for (const follow of this.#followers) await follow(tx, tenantId, input, now);
        group.messages.push(markShared(toDto(m, seq, now, recipients), group.conversation.visibility));
      }
      // A single send that its conversation refused learns why here, in the same transaction.
      if (jobs.length === 1 && !committed.size) throw await refusal(tx, inputs[0]);
      return committed;
    });
  }

  /** After the commit: the events in seq order, and a masked thread's new participants. */
  async #announce(jobs: SendJob[], committed: Committed): Promise<void> {
    const { tenantId } = jobs[0].input;
    committed.messages.forEach((message, i) => this.#bus.publish({
      type: 'message.created', tenantId, conversation: committed.conversation, message, origin: jobs[i].input.origin, groupSize: committed.messages.length,
    }));
    this.#bus.publish({ type: 'conversation.updated', tenantId, conversation: committed.conversation, rollUpOnly: !committed.statusMoved && !committed.clocksMoved });
    if (isMaskable(committed.conversation)) {
      const written = new Map<string, number>();
      for (const j of jobs) if (j.input.authorId) written.set(j.input.authorId, (written.get(j.input.authorId) ?? 0) + 1);
      for (const [authorId, count] of written) await this.#announceAuthorship(tenantFork(jobs[0].em, tenantId), tenantId, committed.conversation, authorId, count);
    }
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
      const [committed] = (await this.#commit([job])).values();
      await this.#announce([job], committed);
      return { message: committed.messages[0], conversation: committed.conversation, duplicate: false, reopened: committed.reopened };
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
   * Batch commit: the sends that queued up behind the previous batch commit together and are acked after its
   * commit, each conversation's taking consecutive seqs. The sends of a conversation that refused its group, and
   * every send of a batch that failed (a repeat's unique key), are replayed one by one, so each gets its own answer.
   */
  async #sendBatch(jobs: SendJob[]): Promise<PromiseSettledResult<SendResult>[]> {
    const outcomes: (PromiseSettledResult<SendResult> | null)[] = jobs.map(() => null);
    if (jobs.length > 1) {
      const committed = await this.#commit(jobs).catch(() => null);
      for (const [conversationId, group] of committed ?? []) {
        const mine = jobs.flatMap((j, i) => (j.input.conversationId === conversationId ? [i] : []));
        await this.#announce(mine.map((i) => jobs[i]), group);
        mine.forEach((i, n) => {
          outcomes[i] = { status: 'fulfilled', value: { message: group.messages[n], conversation: group.conversation, duplicate: false, reopened: n === 0 && group.reopened } };
        });
      }
    }
    for (const [i, job] of jobs.entries()) {
      if (outcomes[i]) continue;
      outcomes[i] = await this.#sendAlone(job).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason }));
    }
    return outcomes as PromiseSettledResult<SendResult>[];
  }
}
