// Reading a conversation's messages by seq: sync after a gap or reconnect, and HTTP paging.
import type { EntityManager } from '@mikro-orm/core';
import { Attachment, Message } from '../../entities/index.ts';
import type { AttachmentDto, MessageDto } from '../contract/dto.ts';
import { toAttachmentDto, toMessageDto } from './message.mapper.ts';

export const DEFAULT_PAGE = 100;

/** Messages with seq > afterSeq, ascending; bots never see internal notes. */
export async function messagesAfter(
  em: EntityManager, conversationId: string, afterSeq: number, limit = DEFAULT_PAGE, includeInternal = true,
): Promise<{ messages: MessageDto[]; hasMore: boolean }> {
  const where: Record<string, unknown> = { conversation: conversationId, seq: { $gt: afterSeq } };
  if (!includeInternal) where.direction = { $ne: 'internal' };
  const rows = await em.find(Message, where, { orderBy: { seq: 'asc' }, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const attachments = page.length
    ? await em.find(Attachment, { message: { $in: page.map((m) => m.id) } }, { orderBy: { createdAt: 'asc', id: 'asc' } })
    : [];
  const byMessage = new Map<string, AttachmentDto[]>();
  for (const a of attachments) byMessage.set(a.message, [...(byMessage.get(a.message) ?? []), toAttachmentDto(a)]);
  return { messages: page.map((m) => toMessageDto(m, byMessage.get(m.id) ?? [])), hasMore: rows.length > limit };
}
