// Deleting a conversation (admins): the conversation, its messages and everything that hangs off them, in one
// transaction. The record it hung off keeps an entry saying it was deleted, by whom; sockets that show it hear
// `conversation:deleted`.
import { LockMode } from '@mikro-orm/core';
import { Activity, Conversation } from '../../../entities/index.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { sql } from '../../platform/db/sql.ts';
import { AppError } from '../../platform/errors.ts';

export async function deleteConversation({ em, bus, principal, clock }: CallContext, id: string): Promise<void> {
  const tenantId = principal.tenantId;
  const inboxId = await em.transactional(async (tx) => {
    const conversation = await tx.findOne(Conversation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!conversation) throw AppError.notFound('conversation');
    // Messages and SLA events carry no foreign key to their conversation (the hot paths skip the check): by hand.
    await sql(tx, 'delete from messages where tenant_id = ? and conversation_id = ?', [tenantId, id]);
    await sql(tx, 'delete from sla_events where tenant_id = ? and conversation_id = ?', [tenantId, id]);
    tx.create(Activity, {
      tenant: tenantId, entityType: conversation.entityType ?? 'conversation', entityId: conversation.entityId ?? id, conversation: null,
      kind: 'conversation.deleted', refId: id, actor: principal.userId,
      data: { subject: conversation.subject ?? null, inboxId: conversation.inbox, messageCount: conversation.messageCount }, occurredAt: clock.now(),
    });
    tx.remove(conversation);
    await tx.flush();
    return conversation.inbox;
  });
  bus.publish({ type: 'conversation.deleted', tenantId, conversationId: id, inboxId });
}
