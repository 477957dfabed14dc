// Writes one assignment change inside the caller's transaction: the conversation's assignee and queue
// state, the closed and opened history rows, and the timeline activity.
import type { EntityManager } from '@mikro-orm/core';
import { Conversation, ConversationAssignment } from '../../entities/index.ts';
import { addToTimeline } from '../model/timeline.ts';
import type { AssignmentType } from '../contract/dto.ts';
import { sql } from '../platform/db/sql.ts';

export interface AssignmentChange {
  conversationId: string;
  tenantId: string;
  assigneeId: string | null;
  type: AssignmentType;
  byUserId: string | null;
  reason: string | null;
}

/** Answers the updated conversation and its previous assignee. */
export async function recordAssignment(tx: EntityManager, change: AssignmentChange, now: Date): Promise<{ conversation: Conversation; previousAssigneeId: string | null }> {
  const [row] = await sql(tx, `
    update conversations c set
      assignee_id = ?,
      waiting_since = null,
      updated_at = ?
    from (select assignee_id as previous_assignee_id from conversations where id = ? and tenant_id = ? for update) p
    where c.id = ? and c.tenant_id = ?
    returning c.*, p.previous_assignee_id`,
  [change.assigneeId, now, change.conversationId, change.tenantId, change.conversationId, change.tenantId]);
  const previousAssigneeId = (row.previous_assignee_id as string | null) ?? null;
  delete row.previous_assignee_id;
  const conversation = tx.map(Conversation, row);
  await tx.nativeUpdate(ConversationAssignment, { conversation: change.conversationId, unassignedAt: null }, { unassignedAt: now });
  const history = tx.create(ConversationAssignment, {
    tenant: change.tenantId, conversation: change.conversationId, assignee: change.assigneeId,
    previousAssignee: previousAssigneeId, type: change.type, byUser: change.byUserId, reason: change.reason, assignedAt: now,
  });
  addToTimeline(tx, {
    tenantId: change.tenantId, conversation, kind: `assignment.${change.type}`, refId: history.id,
    actorId: change.byUserId, data: { assigneeId: change.assigneeId, previousAssigneeId }, at: now,
  });
  await tx.flush();
  return { conversation, previousAssigneeId };
}
