// The masked forms a non-participant sees of a thread in an inbox that is not `share_everything`.
import type { ConversationDto, MessageDto } from '../contract/dto.ts';

export const isMaskable = (c: { visibility: string }): boolean => c.visibility !== 'share_everything';

/** `subject`: content hidden (the preview, the metadata, custom attributes); `metadata`: the subject too. */
export function maskConversation(c: ConversationDto): ConversationDto {
  return { ...c, masked: true, lastMessagePreview: null, metadata: null, customAttributes: {}, subject: c.visibility === 'metadata' ? null : c.subject };
}

/** Body, subject, metadata and attachments hidden; who wrote to whom and when stays. */
export function maskMessage(m: MessageDto): MessageDto {
  return { ...m, masked: true, subject: null, body: '', htmlBody: null, htmlBodySafe: null, metadata: null, attachments: [] };
}
