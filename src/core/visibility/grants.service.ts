// Explicit grants: a user who is not otherwise a participant sees a masked thread in full.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { ConversationGrant, User } from '../../../entities/index.ts';
import { getConversation } from '../conversations/conversations.service.ts';
import type { GrantDto } from '../../contract/dto.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { userHasFullAccess } from './access.ts';

export const grantSchema = z.object({ userId: z.uuid() }).strict();

const toGrantDto = (g: ConversationGrant): GrantDto => ({
  conversationId: g.conversation, userId: g.user, grantedById: g.grantedBy ?? null, createdAt: new Date(g.createdAt).toISOString(),
});

export async function listGrants(em: EntityManager, conversationId: string): Promise<GrantDto[]> {
  await getConversation(em, conversationId);
  return (await em.find(ConversationGrant, { conversation: conversationId }, { orderBy: { createdAt: 'asc' } })).map(toGrantDto);
}

/** Granting twice answers the first grant. */
export async function grantAccess({ em, bus, principal }: CallContext, conversationId: string, userId: string): Promise<GrantDto> {
  await getConversation(em, conversationId);
  if (!(await em.count(User, { id: userId }))) throw AppError.notFound('user');
  const existing = await em.findOne(ConversationGrant, { conversation: conversationId, user: userId });
  if (existing) return toGrantDto(existing);
  const grant = em.create(ConversationGrant, { tenant: principal.tenantId, conversation: conversationId, user: userId, grantedBy: principal.userId });
  try {
    await em.flush();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    em.clear();
    return toGrantDto(await em.findOneOrFail(ConversationGrant, { conversation: conversationId, user: userId }));
  }
  bus.publish({ type: 'access.changed', tenantId: principal.tenantId, conversationId, userId, full: true });
  return toGrantDto(grant);
}

/** Revokes the grant; the user keeps full access only if they are a participant otherwise. */
export async function revokeAccess({ em, bus, principal }: CallContext, conversationId: string, userId: string): Promise<void> {
  await getConversation(em, conversationId);
  const removed = await em.nativeDelete(ConversationGrant, { conversation: conversationId, user: userId });
  if (!removed) throw AppError.notFound('grant');
  if (!(await userHasFullAccess(em, userId, conversationId))) {
    bus.publish({ type: 'access.changed', tenantId: principal.tenantId, conversationId, userId, full: false });
  }
}
