// Message rows (with their attachments) to the wire shape of PROTOCOL §6.
import { fromJson } from '../platform/db/rows.ts';
import type { Attachment, Message, MessageRecipient } from '../../entities/index.ts';
import type { AttachmentDto, MessageDto, RecipientDto } from '../contract/dto.ts';

export function toAttachmentDto(a: Attachment): AttachmentDto {
  return {
    type: a.type, url: a.url, mime: a.mime ?? null, filename: a.filename ?? null,
    size: a.size == null ? null : Number(a.size), width: a.width ?? null, height: a.height ?? null,
    duration: a.duration == null ? null : Number(a.duration), thumbnailUrl: a.thumbnailUrl ?? null,
    platformUrl: a.platformUrl ?? null, metadata: a.metadata == null ? null : fromJson<Record<string, unknown>>(a.metadata),
    archivedAt: a.archivedAt ? a.archivedAt.toISOString() : null,
  };
}

export function toRecipientDto(r: MessageRecipient): RecipientDto {
  return { role: r.role, address: r.address, alias: r.alias ?? null, contactId: r.contact ?? null, userId: r.user ?? null };
}

export function toMessageDto(m: Message, attachments: AttachmentDto[] = [], recipients: RecipientDto[] = []): MessageDto {
  return {
    id: m.id,
    conversationId: m.conversation,
    seq: m.seq,
    direction: m.direction,
    senderType: m.senderType,
    authorId: m.author ?? null,
    contactId: m.contact ?? null,
    source: m.sourceChannel && m.sourceHandle ? { channel: m.sourceChannel, handle: m.sourceHandle } : null,
    subject: m.subject ?? null,
    type: m.type,
    body: m.body,
    htmlBody: m.htmlBody ?? null,
    htmlBodySafe: m.htmlBodySafe ?? null,
    status: m.status,
    deliveredAt: m.deliveredAt ? new Date(m.deliveredAt).toISOString() : null,
    readAt: m.readAt ? new Date(m.readAt).toISOString() : null,
    failedAt: m.failedAt ? new Date(m.failedAt).toISOString() : null,
    errorMessage: m.errorMessage ?? null,
    metadata: m.metadata == null ? null : fromJson<Record<string, unknown>>(m.metadata),
    clientMessageId: m.clientMessageId ?? null,
    externalId: m.externalId ?? null,
    attachments,
    recipients,
    pinnedAt: m.pinnedAt ? new Date(m.pinnedAt).toISOString() : null,
    pinnedById: m.pinnedBy ?? null,
    whisperToId: m.whisperTo ?? null,
    masked: false,
    sentAt: new Date(m.sentAt).toISOString(),
    createdAt: new Date(m.createdAt).toISOString(),
    updatedAt: new Date(m.updatedAt).toISOString(),
    deletedAt: m.deletedAt ? new Date(m.deletedAt).toISOString() : null,
  };
}
