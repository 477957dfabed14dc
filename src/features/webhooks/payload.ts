// The JSON body of a delivery, `{type, timestamp, data}` with the contract's shapes, built once from the row
// the event is about (the delivery keeps it, so retries and replays send the same bytes).
import type { EntityManager } from '@mikro-orm/core';
import { ConversationAssignment, Message, SlaEvent } from '../../../entities/index.ts';
import type { WebhookEventType } from '../../../entities/webhook-outbox.ts';
import { toAssignmentDto } from '../../model/assignment.mapper.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';
import { getConversation } from '../../core/conversations/conversations.service.ts';
import { withDetails } from '../../core/messages/history.service.ts';

async function dataFor(em: EntityManager, type: WebhookEventType, subjectId: string): Promise<Record<string, unknown> | null> {
  switch (type) {
    case 'message.created': {
      const message = await em.findOne(Message, { id: subjectId });
      return message ? { message: (await withDetails(em, [message]))[0] } : null;
    }
    case 'conversation.created':
    case 'conversation.updated':
      return { conversation: toConversationDto(await getConversation(em, subjectId)) };
    case 'conversation.assigned': {
      const assignment = await em.findOne(ConversationAssignment, { id: subjectId });
      if (!assignment) return null;
      return { assignment: toAssignmentDto(assignment), conversation: toConversationDto(await getConversation(em, assignment.conversation)) };
    }
    // Its body is written when it is queued; there is nothing to build again.
    case 'conversation.transcript':
    case 'automation.triggered':
      return null;
    case 'sla.breached': {
      const e = await em.findOne(SlaEvent, { id: subjectId });
      return e ? {
        conversationId: e.conversation, kind: e.kind, dueAt: new Date(e.dueAt).toISOString(), breachedAt: new Date(e.occurredAt).toISOString(),
        assigneeId: e.assignee ?? null, policyId: e.policy ?? null,
      } : null;
    }
  }
}

/** The body, or null when the subject is gone (deleted since): nothing left to say. */
export async function buildPayload(em: EntityManager, type: WebhookEventType, subjectId: string, occurredAt: Date): Promise<string | null> {
  const data = await dataFor(em, type, subjectId).catch(() => null);
  return data ? JSON.stringify({ type, timestamp: occurredAt.toISOString(), data }) : null;
}
