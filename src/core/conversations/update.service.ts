// PATCH /v1/conversations/:id: priority, mute and custom attributes (status, assignment and team have their own calls).
import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { Conversation } from '../../../entities/index.ts';
import { PRIORITIES } from '../../../entities/enums.ts';
import type { ConversationDto } from '../../contract/dto.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { AppError } from '../../platform/errors.ts';
import { fromJson } from '../../platform/db/rows.ts';
import { addToTimeline } from '../../model/timeline.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';
import { attributeChangeSchema, changedAttributes } from '../attributes/attributes.service.ts';

export const updateConversationSchema = z.object({
  priority: z.enum(PRIORITIES).optional(),
  muted: z.boolean().optional(),
  /** Keys to set; null removes one. Checked against the tenant's conversation attributes. */
  customAttributes: attributeChangeSchema.optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'nothing to change');

export type UpdateConversationInput = z.infer<typeof updateConversationSchema>;

export async function updateConversation({ em, bus, principal, clock }: CallContext, id: string, input: UpdateConversationInput): Promise<ConversationDto> {
  const now = clock.now();
  const { dto, changed } = await em.transactional(async (tx) => {
    const conversation = await tx.findOne(Conversation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!conversation) throw AppError.notFound('conversation');
    if (conversation.status === 'archived') throw AppError.conflict('conversation is archived');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.priority !== undefined && input.priority !== conversation.priority) {
      changes.priority = { from: conversation.priority, to: input.priority };
      conversation.priority = input.priority;
    }
    if (input.muted !== undefined && input.muted !== conversation.muted) {
      changes.muted = { from: conversation.muted, to: input.muted };
      conversation.muted = input.muted;
    }
    if (input.customAttributes) {
      const current = fromJson<Record<string, unknown>>(conversation.customAttributes ?? {}) ?? {};
      const next = await changedAttributes(tx, 'conversation', current, input.customAttributes);
      if (JSON.stringify(next) !== JSON.stringify(current)) {
        changes.customAttributes = { from: current, to: next };
        conversation.customAttributes = next;
      }
    }
    const changed = Object.keys(changes).length > 0;
    if (changed) {
      addToTimeline(tx, { tenantId: principal.tenantId, conversation, kind: 'conversation.changed', refId: conversation.id, actorId: principal.userId, data: changes, at: now });
      await tx.flush();
    }
    return { dto: toConversationDto(conversation), changed };
  });
  if (changed) bus.publish({ type: 'conversation.updated', tenantId: principal.tenantId, conversation: dto });
  return dto;
}
