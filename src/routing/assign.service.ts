// Manual assignment, transfer and unassignment, with the history and the events; bots may only hand off.
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Conversation, ConversationAssignment, InboxMember, User } from '../../entities/index.ts';
import { isMaskable } from '../model/mask.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { AssignmentDto, AssignmentType, ConversationDto } from '../contract/dto.ts';
import { toConversationDto } from '../model/conversation.mapper.ts';
import type { Routing } from './routing-port.ts';
import { AppError } from '../platform/errors.ts';
import type { CallContext } from '../platform/call-context.ts';
import { toAssignmentDto } from '../model/assignment.mapper.ts';
import { recordAssignment } from './history.ts';

export const assignSchema = z.object({
  assigneeId: z.uuid().nullable(),
  reason: z.string().trim().max(500).optional(),
}).strict();

export type AssignInput = z.infer<typeof assignSchema>;

/** What the role alone decides, checked before the conversation row is locked (a refusal waits on nothing). */
function assertRoleMayAssign(principal: Principal, next: string | null): void {
  if (principal.role === 'bot' && next !== null) throw AppError.forbidden('a bot may only hand a conversation off (assigneeId: null)');
  if (principal.role === 'agent' && next !== principal.userId) throw AppError.forbidden('an agent may only take an unassigned conversation for themself');
}

/** What depends on the conversation as locked: an agent may take it only while it is unassigned. */
function assertMayAssign(principal: Principal, current: string | null): void {
  if (principal.role === 'agent' && current !== null) throw AppError.forbidden('an agent may only take an unassigned conversation for themself');
}

function typeOf(previous: string | null, next: string | null): AssignmentType {
  if (next === null) return 'unassign';
  return previous === null ? 'manual' : 'transfer';
}

/** Unassigning (a bot's hand-off included) sends the conversation back through round robin where the inbox routes. */
export async function assignConversation(
  { em, bus, principal, clock }: CallContext, routing: Routing, conversationId: string, input: AssignInput,
): Promise<ConversationDto> {
  const next = input.assigneeId;
  const now = clock.now();
  const result = await em.transactional(async (tx) => {
    // Everything that can refuse without the conversation's row lock goes first, so bad input is not kept
    // waiting behind the sends and routing that hold that row (another tenant's id is NOT_FOUND before all).
    if (!(await tx.count(Conversation, { id: conversationId }))) throw AppError.notFound('conversation');
    assertRoleMayAssign(principal, next);
    if (next) {
      const assignee = await tx.findOne(User, { id: next });
      if (!assignee) throw AppError.notFound('user');
      if (assignee.role === 'bot' || !assignee.active) throw AppError.validation('assigneeId: must be an active person');
    }
    const conversation = await tx.findOne(Conversation, { id: conversationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!conversation) throw AppError.notFound('conversation');
    const current = conversation.assignee ?? null;
    assertMayAssign(principal, current);
    // Taking a masked thread opens it: an agent may do so only in an inbox they work in.
    if (principal.role === 'agent' && next !== null && isMaskable(conversation)
      && !(await tx.count(InboxMember, { inbox: conversation.inbox, user: principal.userId }))) {
      throw AppError.forbidden('an agent may take a masked thread only in an inbox they are a member of');
    }
    if (current === next) return { conversation: toConversationDto(conversation), changed: false, previousAssigneeId: current };
    const recorded = await recordAssignment(tx, {
      conversationId, tenantId: principal.tenantId, assigneeId: next, type: typeOf(current, next),
      byUserId: principal.userId, reason: input.reason ?? null,
    }, now);
    return { conversation: toConversationDto(recorded.conversation), changed: true, previousAssigneeId: recorded.previousAssigneeId };
  });
  if (result.changed) {
    bus.publish({
      type: 'assignment.changed', tenantId: principal.tenantId, conversation: result.conversation, assigneeId: next,
      previousAssigneeId: result.previousAssigneeId, assignmentType: typeOf(result.previousAssigneeId, next), byUserId: principal.userId,
    });
    bus.publish({ type: 'conversation.updated', tenantId: principal.tenantId, conversation: result.conversation });
  }
  if (next === null) return (await routing.route(principal.tenantId, conversationId)) ?? result.conversation;
  return result.conversation;
}

export async function assignmentHistory(em: EntityManager, conversationId: string): Promise<AssignmentDto[]> {
  if (!(await em.count(Conversation, { id: conversationId }))) throw AppError.notFound('conversation');
  const rows = await em.find(ConversationAssignment, { conversation: conversationId }, { orderBy: { assignedAt: 'asc', id: 'asc' } });
  return rows.map(toAssignmentDto);
}
