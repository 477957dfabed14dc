// Pinning internal notes to the top of a thread (by those who read the thread in full).
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { Conversation, Message } from '../../../entities/index.ts';
import type { MessageDto } from '../../contract/dto.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';
import { AppError } from '../../platform/errors.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { withDetails } from './history.service.ts';
import { hasFullAccess } from '../visibility/access.ts';
import { canReadWhisper } from '../visibility/present.ts';

/** Pins or unpins an internal note; repeating either is a no-op that answers the note. */
export async function setPinned({ em, bus, principal, clock }: CallContext, messageId: string, pinned: boolean): Promise<MessageDto> {
  const { message, changed } = await em.transactional(async (tx) => {
    const message = await tx.findOne(Message, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!message) throw AppError.notFound('message');
    if (!canReadWhisper(principal, { whisperToId: message.whisperTo ?? null, authorId: message.author ?? null })) throw AppError.notFound('message');
    if (!(await hasFullAccess(tx, principal, message.conversation))) throw AppError.forbidden('not a participant of this masked thread');
    if (message.direction !== 'internal') throw AppError.validation('only internal notes can be pinned');
    const changed = pinned !== (message.pinnedAt != null);
    if (changed) {
      message.pinnedAt = pinned ? clock.now() : null;
      message.pinnedBy = pinned ? principal.userId : null;
      await tx.flush();
    }
    return { message, changed };
  });
  const [dto] = await withDetails(em, [message]);
  if (changed) {
    const conversation = await em.findOneOrFail(Conversation, { id: message.conversation });
    bus.publish({ type: 'message.updated', tenantId: principal.tenantId, conversation: toConversationDto(conversation), message: dto });
  }
  return dto;
}

/** A thread's pinned notes, latest pinned first. */
export async function pinnedNotes(em: EntityManager, conversationId: string): Promise<MessageDto[]> {
  const rows = await em.find(Message, { conversation: conversationId, direction: 'internal', pinnedAt: { $ne: null } }, { orderBy: { pinnedAt: 'desc', seq: 'desc' } });
  return withDetails(em, rows);
}
