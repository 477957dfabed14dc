// SQL pieces shared by round robin, the reopen check and the live queue: an agent's weighted open load
// and the end of their wrap-up in an inbox.

/**
 * Weighted open load of a user (an SQL expression; `user` is the alias of their `users` row): each open or pending
 * conversation counts its own inbox's weight. `except` (an SQL expression) leaves one conversation out. The tenant
 * is named so that the tenant-assignee-status index serves it: by the assignee alone the index is read whole.
 */
export function weightedLoad(user: string, except?: string): string {
  return `(select coalesce(sum(wi.conversation_weight), 0) from conversations wc join inboxes wi on wi.id = wc.inbox_id
    where wc.tenant_id = ${user}.tenant_id and wc.assignee_id = ${user}.id and wc.status in ('new', 'open', 'pending')${except ? ` and wc.id <> ${except}` : ''})`;
}

/** When the user `userId` last resolved a conversation of the inbox `inboxId` (SQL expressions). */
export function lastResolvedIn(userId: string, inboxId: string): string {
  return `(select max(r.resolved_at) from conversations r where r.assignee_id = ${userId} and r.inbox_id = ${inboxId} and r.resolved_at is not null)`;
}

/** The end of a wrap-up: `wrapUpSeconds` after the last resolution, or null without either. */
export function wrapUpEnd(lastResolvedAt: Date | string | null, wrapUpSeconds: number): Date | null {
  return wrapUpSeconds && lastResolvedAt ? new Date(new Date(lastResolvedAt).getTime() + wrapUpSeconds * 1000) : null;
}
