// Deleting a message (admins): its body, HTML, metadata and attachments are erased and the row stays as a
// tombstone, so the conversation's seqs stay gap-free and a client that syncs gets the tombstone in its place.
// Heard live as `message:updated`; recorded on the thread's timeline.
import { LockMode } from '@mikro-orm/core';
import { Attachment, Conversation, Message } from '../../../entities/index.ts';
import type { MessageDto } from '../../contract/dto.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';
import { addToTimeline } from '../../model/timeline.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { AppError } from '../../platform/errors.ts';
import { withDetails } from './history.service.ts';

/** Deleting a deleted message answers its tombstone again and announces nothing. */
export async function deleteMessage({ em, bus, principal, clock }: CallContext, conversationId: string, messageId: string): Promise<MessageDto> {
  const now = clock.now();
  const { message, conversation, changed } = await em.transactional(async (tx) => {
    // The conversation first, as the send path locks it: a send and a delete of its last message take turns.
    const conversation = await tx.findOne(Conversation, { id: conversationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!conversation) throw AppError.notFound('conversation');
    const message = await tx.findOne(Message, { id: messageId, conversation: conversationId });
    if (!message) throw AppError.notFound('message');
    if (message.deletedAt) return { message, conversation, changed: false };
    Object.assign(message, { body: '', htmlBody: null, htmlBodySafe: null, metadata: null, deletedAt: now, deletedBy: principal.userId });
    await tx.nativeDelete(Attachment, { message: messageId });
    if (conversation.lastSeq === message.seq) conversation.lastMessagePreview = null;
    addToTimeline(tx, { tenantId: principal.tenantId, conversation, kind: 'message.deleted', refId: messageId, actorId: principal.userId, data: { seq: message.seq }, at: now });
    await tx.flush();
    return { message, conversation, changed: true };
  });
  const [dto] = await withDetails(em, [message]);
  if (changed) bus.publish({ type: 'message.updated', tenantId: principal.tenantId, conversation: toConversationDto(conversation), message: dto });
  return dto;
}
