// Reading a conversation's messages by seq: sync after a gap or reconnect, and HTTP paging.
import type { EntityManager } from '@mikro-orm/core';
import { Attachment, Message, MessageRecipient } from '../../../entities/index.ts';
import type { AttachmentDto, MessageDto, RecipientDto } from '../../contract/dto.ts';
import { toAttachmentDto, toMessageDto, toRecipientDto } from '../../model/message.mapper.ts';
import { markShared } from '../visibility/present.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { getConversation } from '../conversations/conversations.service.ts';

export const DEFAULT_PAGE = 100;

function groupBy<T, V>(rows: T[], key: (row: T) => string, value: (row: T) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(value(row));
    else groups.set(k, [value(row)]);
  }
  return groups;
}

/** Message rows to wire shapes with their attachments and recipients: two queries whatever the count. */
export async function withDetails(em: EntityManager, rows: Message[]): Promise<MessageDto[]> {
  if (!rows.length) return [];
  const ids = rows.map((m) => m.id);
  const [attachments, recipients] = await Promise.all([
    em.find(Attachment, { message: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(MessageRecipient, { message: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
  ]);
  const byMessage = groupBy<Attachment, AttachmentDto>(attachments, (a) => a.message, toAttachmentDto);
  const recipientsOf = groupBy<MessageRecipient, RecipientDto>(recipients, (r) => r.message, toRecipientDto);
  return rows.map((m) => toMessageDto(m, byMessage.get(m.id) ?? [], recipientsOf.get(m.id) ?? []));
}

/** Messages with seq > afterSeq, ascending; bots never see internal notes (left out here, so pages stay full). */
export async function messagesAfter(
  em: EntityManager, conversation: { id: string; visibility: string }, afterSeq: number, limit = DEFAULT_PAGE, includeInternal = true,
): Promise<{ messages: MessageDto[]; hasMore: boolean }> {
  const where: Record<string, unknown> = { conversation: conversation.id, seq: { $gt: afterSeq } };
  if (!includeInternal) where.direction = { $ne: 'internal' };
  const rows = await em.find(Message, where, { orderBy: { seq: 'asc' }, limit: limit + 1 });
  const messages = (await withDetails(em, rows.slice(0, limit))).map((m) => markShared(m, conversation.visibility));
  return { messages, hasMore: rows.length > limit };
}

/** What the caller may read after `afterSeq` (a bot never gets internal notes). */
export async function conversationHistory(
  { em, principal }: CallContext, conversationId: string, afterSeq: number, limit?: number,
): Promise<{ messages: MessageDto[]; hasMore: boolean }> {
  return messagesAfter(em, await getConversation(em, conversationId), afterSeq, limit, principal.kind !== 'bot');
}
