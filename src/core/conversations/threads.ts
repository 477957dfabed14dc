// The thread a contact's message belongs to in an inbox (inbound messages, campaigns): found or started.
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { Contact, Conversation, type Inbox } from '../../../entities/index.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import type { IdentityDto } from '../../contract/dto.ts';
import { tagList } from '../../platform/text/tags.ts';
import { fromJson } from '../../platform/db/rows.ts';
import { needsFromRules } from '../../routing/routing-rules.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';
import { policyFor, startClocks } from './conversations.service.ts';

/**
 * The thread named by threadExternalId, else the contact's latest conversation that is not closed, else a new one,
 * whose skills and language come from the inbox's defaults and routing rules applied to firstBody.
 */
export async function threadFor(
  em: EntityManager, bus: EventBus, inbox: Inbox, contactId: string, threadExternalId: string | undefined, firstBody?: string,
  source: IdentityDto | null = null,
): Promise<{ conversationId: string; isNew: boolean }> {
  const created = await em.transactional(async (tx) => {
    // Serializes thread creation per contact, so concurrent first messages share one conversation.
    const contact = await tx.findOne(Contact, { id: contactId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const existing = threadExternalId
      ? await tx.findOne(Conversation, { inbox: inbox.id, threadExternalId })
      : await tx.findOne(Conversation, { inbox: inbox.id, contact: contactId, status: { $ne: 'closed' }, archivedAt: null }, { orderBy: { createdAt: 'desc' } });
    if (existing) return { id: existing.id, fresh: null };
    const attributes = fromJson<Record<string, unknown>>(contact?.customAttributes ?? {}) ?? {};
    const needs = needsFromRules(inbox.routingRules, firstBody, { requiredSkills: tagList(inbox.defaultSkills), language: inbox.defaultLanguage ?? null }, attributes);
    const conversation = tx.create(Conversation, {
      tenant: inbox.tenant, inbox: inbox.id, channel: inbox.channel, visibility: inbox.visibility, contact: contactId,
      threadExternalId: threadExternalId ?? null, companyId: contact?.companyId ?? null,
      slaPolicy: await policyFor(tx, inbox, { priority: 'normal', tags: tagList(needs.requiredSkills), attributes }),
      sourceChannel: source?.channel ?? null, sourceHandle: source?.handle ?? null,
      ...needs,
    });
    await startClocks(tx, conversation, new Date());
    await tx.flush();
    return { id: conversation.id, fresh: conversation };
  });
  if (created.fresh) bus.publish({ type: 'conversation.updated', tenantId: inbox.tenant, conversation: toConversationDto(created.fresh), created: true });
  return { conversationId: created.id, isNew: created.fresh !== null };
}
