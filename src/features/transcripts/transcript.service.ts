// A conversation's transcript: the conversation, its customer and every message in seq order (internal notes
// only when asked for, and never for bots), attachments as links. Answered as JSON or as a readable text
// document, or sent to the tenant's webhooks that subscribe to `conversation.transcript`.
import { User } from '../../../entities/index.ts';
import type { MessageDto, TranscriptDto } from '../../contract/dto.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { sql } from '../../platform/db/sql.ts';
import { queuePayloadDelivery } from '../webhooks/queue-payload.ts';
import { getContact } from '../../core/contacts/contacts.service.ts';
import { getConversation } from '../../core/conversations/conversations.service.ts';
import { messagesAfter } from '../../core/messages/history.service.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';

/** Messages read per query while building one. */
const PAGE = 500;

export type Transcript = TranscriptDto;

export async function buildTranscript({ em, principal, clock }: CallContext, conversationId: string, options: { notes: boolean }): Promise<Transcript> {
  const conversation = await getConversation(em, conversationId);
  const notes = options.notes && principal.kind !== 'bot';
  const messages: MessageDto[] = [];
  for (let after = 0, more = true; more;) {
    const page = await messagesAfter(em, conversation, after, PAGE, notes);
    messages.push(...page.messages);
    more = page.hasMore;
    after = page.messages.at(-1)?.seq ?? after;
  }
  const contact = conversation.contact ? await getContact(em, conversation.contact).catch(() => null) : null;
  const authorIds = [...new Set(messages.flatMap((m) => (m.authorId ? [m.authorId] : [])))];
  const users = authorIds.length ? await em.find(User, { id: { $in: authorIds } }, { fields: ['id', 'name'] }) : [];
  return {
    conversation: toConversationDto(conversation), contact, messages,
    authors: Object.fromEntries(users.map((u) => [u.id, u.name])),
    notesIncluded: notes, generatedAt: clock.now().toISOString(),
  };
}

/**
 * Queues the transcript (as this caller may read it) for every active webhook of the tenant that subscribes to
 * `conversation.transcript`, in the outbox like every other event; answers how many deliveries were queued.
 */
export async function queueTranscriptDeliveries({ em, principal }: CallContext, transcript: Transcript): Promise<number> {
  return queuePayloadDelivery(em, {
    tenantId: principal.tenantId, type: 'conversation.transcript', conversationId: transcript.conversation.id,
    data: { transcript }, at: new Date(transcript.generatedAt),
  });
}
