// Conversations: read, list by newest activity, and change status (creation: create.service.ts).
import { newestFirst } from '../../platform/db/newest-first.ts';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { Conversation, Inbox, SlaPolicy } from '../../../entities/index.ts';
import type { ConversationDto } from '../../contract/dto.ts';
import { AppError } from '../../platform/errors.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { addToTimeline } from '../../model/timeline.ts';
import { choosePolicy, type PolicyConditions } from '../../../sla/policy-choice.ts';
import type { Routing } from '../../routing/routing-port.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';
import type { ListConversationsInput, StatusChangeInput } from './conversations.schemas.ts';
import { applyPatch, loadPolicy, statusPatch } from '../../../sla/clocks.ts';
import { atCreation } from '../../../sla/evaluate.ts';
import { attributeFilters } from '../attributes/attributes.service.ts';
import { decodeNullableTimeCursor, encodeTimeCursor } from '../../platform/util/time-cursor.ts';

/** Starts a new conversation's SLA clocks from its policy (resolution now; first response at the first inbound). */
export async function startClocks(em: EntityManager, conversation: Conversation, now: Date): Promise<void> {
  const policy = await loadPolicy(em, conversation.slaPolicy);
  if (policy) applyPatch(conversation, atCreation(policy, now));
}

export async function getConversation(em: EntityManager, id: string): Promise<Conversation> {
  const conversation = await em.findOne(Conversation, { id });
  if (!conversation) throw AppError.notFound('conversation');
  return conversation;
}

/** The inbox's policy, else the tenant's default, else none. */
/** The policy a new conversation of this inbox gets (sla/policy-choice.ts): the inbox's, a matching one, or the default. */
export async function policyFor(em: EntityManager, inbox: Inbox, facts: { priority: string; tags: string[]; attributes?: Record<string, unknown> }): Promise<string | null> {
  const active = await em.find(SlaPolicy, { isActive: true }, { fields: ['id', 'isDefault', 'conditions'], orderBy: { createdAt: 'asc', id: 'asc' } });
  return choosePolicy(active.map((p) => ({ id: p.id, isDefault: p.isDefault, conditions: (p.conditions as PolicyConditions | null) ?? null })), inbox.slaPolicy ?? null,
    { inboxId: inbox.id, channel: inbox.channel, ...facts })?.id ?? null;
}

export const encodeCursor = (c: Pick<Conversation, 'lastMessageAt' | 'id'>): string => encodeTimeCursor(c.lastMessageAt ?? null, c.id);

/** Newest activity first (conversations without messages yet come first), then id, so pages never overlap. */
export async function listConversations(
  em: EntityManager, input: ListConversationsInput,
): Promise<{ conversations: ConversationDto[]; nextCursor: string | null }> {
  // The archive is not a working list (GET /v1/archive/conversations reads it).
  const where: Record<string, unknown> = { archivedAt: null };
  if (input.status) where.status = input.status;
  if (input.assigneeId) where.assignee = input.assigneeId === 'none' ? null : input.assigneeId;
  if (input.inboxId) where.inbox = input.inboxId;
  if (input.contactId) where.contact = input.contactId;
  if (input.teamId) where.team = input.teamId === 'none' ? null : input.teamId;
  const attributes = await attributeFilters(em, 'conversation', input.attribute);
  if (Object.keys(attributes).length) where.customAttributes = attributes;
  if (input.entityType) where.entityType = input.entityType;
  if (input.entityId) where.entityId = input.entityId;
  if (input.cursor) {
    const { t, id } = decodeNullableTimeCursor(input.cursor);
    where.$or = t === null
      ? [{ lastMessageAt: null, id: { $lt: id } }, { lastMessageAt: { $ne: null } }]
      : [{ lastMessageAt: { $lt: new Date(t) } }, { lastMessageAt: new Date(t), id: { $lt: id } }];
  }
  const rows = await em.find(Conversation, where, {
    orderBy: [{ lastMessageAt: 'desc nulls first' }, { id: 'desc' }] as never,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    conversations: page.map(toConversationDto),
    nextCursor: rows.length > input.limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

const WORKING = new Set(['new', 'open', 'pending']);

/** One conversation as its reader may see it (presented on the way out). */
export async function readConversation({ em }: CallContext, id: string): Promise<ConversationDto> {
  return toConversationDto(await getConversation(em, id));
}

export async function changeStatus(
  { em, bus, principal, clock }: CallContext, routing: Routing, id: string, input: StatusChangeInput,
): Promise<ConversationDto> {
  const now = clock.now();
  const snoozedUntil = input.snoozedUntil ? new Date(input.snoozedUntil) : null;
  if (snoozedUntil && snoozedUntil <= now) throw AppError.validation('snoozedUntil: must be in the future');
  const { dto, previous } = await em.transactional(async (tx) => {
    const conversation = await tx.findOne(Conversation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!conversation) throw AppError.notFound('conversation');
    if (conversation.status === 'archived') throw AppError.conflict('conversation is archived');
    const previous = conversation.status;
    const wasDone = conversation.status === 'resolved' || conversation.status === 'closed';
    const isDone = input.status === 'resolved' || input.status === 'closed';
    const policy = await loadPolicy(tx, conversation.slaPolicy);
    if (policy) applyPatch(conversation, statusPatch(policy, conversation, input.status, now));
    conversation.status = input.status;
    conversation.snoozedUntil = snoozedUntil;
    if (isDone && !wasDone) conversation.resolvedAt = now;
    if (!isDone) conversation.resolvedAt = null;
    // Only open and pending conversations wait for an agent.
    if (!WORKING.has(input.status)) conversation.waitingSince = null;
    if (previous !== input.status) {
      addToTimeline(tx, {
        tenantId: principal.tenantId, conversation, kind: 'conversation.status', refId: conversation.id,
        actorId: principal.userId, data: { from: previous, to: input.status }, at: now,
      });
    }
    await tx.flush();
    return { dto: toConversationDto(conversation), previous };
  });
  bus.publish({ type: 'conversation.updated', tenantId: principal.tenantId, conversation: dto });
  // Back to work (a bot handing off by reopening, or a reopen): unassigned ones are routed.
  if (WORKING.has(dto.status)) return (await routing.route(principal.tenantId, id)) ?? dto;
  if (WORKING.has(previous) && dto.assigneeId) await routing.capacityFreed(principal.tenantId, dto.assigneeId);
  return dto;
}

/** The archive: conversations retention moved there, most recently archived first, paged by cursor. */
export async function listArchivedConversations(
  em: EntityManager, input: { limit: number; cursor?: string },
): Promise<{ conversations: ConversationDto[]; nextCursor: string | null }> {
  const { items, nextCursor } = await newestFirst(em, Conversation, { archivedAt: { $ne: null } }, 'archivedAt', input);
  return { conversations: items.map(toConversationDto), nextCursor };
}
