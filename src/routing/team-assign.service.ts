// Giving a conversation to a team (or taking it from one). An assignee outside the new team lets it go, and
// round robin, where the inbox assigns automatically, picks among the team's members.
import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { Conversation, Team, TeamMember } from '../../entities/index.ts';
import type { ConversationDto } from '../contract/dto.ts';
import type { CallContext } from '../platform/call-context.ts';
import { AppError } from '../platform/errors.ts';
import { addToTimeline } from '../model/timeline.ts';
import { toConversationDto } from '../model/conversation.mapper.ts';
import { recordAssignment } from './history.ts';
import type { Routing } from './routing-port.ts';

export const teamAssignSchema = z.object({
  teamId: z.uuid().nullable(),
  reason: z.string().trim().max(500).optional(),
}).strict();

export type TeamAssignInput = z.infer<typeof teamAssignSchema>;

export async function assignTeam({ em, bus, principal, clock }: CallContext, routing: Routing, conversationId: string, input: TeamAssignInput): Promise<ConversationDto> {
  const now = clock.now();
  const result = await em.transactional(async (tx) => {
    if (!(await tx.count(Conversation, { id: conversationId }))) throw AppError.notFound('conversation');
    if (input.teamId && !(await tx.count(Team, { id: input.teamId }))) throw AppError.notFound('team');
    const conversation = await tx.findOne(Conversation, { id: conversationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!conversation) throw AppError.notFound('conversation');
    // An agent hands on their own work or unassigned work, not a colleague's.
    if (principal.role === 'agent' && conversation.assignee && conversation.assignee !== principal.userId) {
      throw AppError.forbidden("an agent may move only their own or unassigned conversations to a team");
    }
    const previousTeam = conversation.team ?? null;
    if (previousTeam === input.teamId) return { dto: toConversationDto(conversation), changed: false, released: null };
    const assignee = conversation.assignee ?? null;
    const keepsAssignee = !assignee || !input.teamId || (await tx.count(TeamMember, { team: input.teamId, user: assignee })) > 0;
    conversation.team = input.teamId;
    addToTimeline(tx, {
      tenantId: principal.tenantId, conversation, kind: 'conversation.team', refId: conversation.id,
      actorId: principal.userId, data: { from: previousTeam, to: input.teamId, reason: input.reason ?? null }, at: now,
    });
    await tx.flush();
    if (keepsAssignee) return { dto: toConversationDto(conversation), changed: true, released: null };
    const recorded = await recordAssignment(tx, {
      conversationId, tenantId: principal.tenantId, assigneeId: null, type: 'unassign', byUserId: principal.userId,
      reason: input.reason ?? 'moved to a team they are not in',
    }, now);
    return { dto: toConversationDto(recorded.conversation), changed: true, released: assignee };
  });
  if (!result.changed) return result.dto;
  if (result.released) {
    bus.publish({
      type: 'assignment.changed', tenantId: principal.tenantId, conversation: result.dto, assigneeId: null,
      previousAssigneeId: result.released, assignmentType: 'unassign', byUserId: principal.userId,
    });
  }
  bus.publish({ type: 'conversation.updated', tenantId: principal.tenantId, conversation: result.dto });
  if (result.dto.assigneeId === null) return (await routing.route(principal.tenantId, conversationId)) ?? result.dto;
  return result.dto;
}
