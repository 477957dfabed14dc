// Assignment history rows to the wire shape of PROTOCOL §6.
import type { ConversationAssignment } from '../../entities/index.ts';
import type { AssignmentDto } from '../contract/dto.ts';

export function toAssignmentDto(a: ConversationAssignment): AssignmentDto {
  return {
    id: a.id,
    conversationId: a.conversation,
    assigneeId: a.assignee ?? null,
    previousAssigneeId: a.previousAssignee ?? null,
    type: a.type,
    byUserId: a.byUser ?? null,
    reason: a.reason ?? null,
    assignedAt: new Date(a.assignedAt).toISOString(),
    unassignedAt: a.unassignedAt ? new Date(a.unassignedAt).toISOString() : null,
  };
}
