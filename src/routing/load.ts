// SQL pieces shared by round robin, the reopen check and the live queue: an agent's weighted open load
// and the end of their wrap-up in an inbox.
import { LOAD_STATUSES } from '../../entities/agent-load.entity.ts';

/**
 * Weighted open load of a user (an SQL expression; `user` is the alias of their `users` row): each open or pending
 * conversation counts its own inbox's weight. The counts are kept per inbox by triggers (entities/agent-load.entity.ts),
 * so this reads a row per inbox the agent has open work in, however many conversations that is; the weight is the
 * inbox's current one. `except` (an SQL expression) leaves one conversation out if it is counted for the user.
 */
export function weightedLoad(user: string, except?: string): string {
  const counted = `(select coalesce(sum(al.open_count * wi.conversation_weight), 0) from agent_loads al join inboxes wi on wi.id = al.inbox_id
    where al.user_id = ${user}.id)`;
  if (!except) return counted;
  return `(${counted} - (select coalesce(sum(xi.conversation_weight), 0) from conversations xc join inboxes xi on xi.id = xc.inbox_id
    where xc.id = ${except} and xc.assignee_id = ${user}.id and xc.status in ${LOAD_STATUSES}))`;
}

/** When the user `userId` last resolved a conversation of the inbox `inboxId` (SQL expressions). */
export function lastResolvedIn(userId: string, inboxId: string): string {
  return `(select max(r.resolved_at) from conversations r where r.assignee_id = ${userId} and r.inbox_id = ${inboxId} and r.resolved_at is not null)`;
}

/** The end of a wrap-up: `wrapUpSeconds` after the last resolution, or null without either. */
export function wrapUpEnd(lastResolvedAt: Date | string | null, wrapUpSeconds: number): Date | null {
  return wrapUpSeconds && lastResolvedAt ? new Date(new Date(lastResolvedAt).getTime() + wrapUpSeconds * 1000) : null;
}
