// Notifications to the wire shape, and what every statement that writes them shares: who may be notified and the
// unread counts a new notification is announced with. Written by the notification writer, and by round robin's
// stamp for the assignments it makes (in the transaction that makes them).
import type { NotificationDto, NotificationKind } from '../contract/dto.ts';
import { fromJson } from '../platform/db/rows.ts';
import { isoOrNull } from '../platform/util/iso.ts';

/** A notification as the entity holds it, or as the writer's statement answers it (timestamps and JSON maybe as text). */
export interface NotificationRecord {
  id: string;
  kind: NotificationKind;
  conversation: string;
  messageId?: string | null;
  actorId?: string | null;
  data?: unknown;
  readAt?: Date | string | null;
  createdAt: Date | string;
}

export function toNotificationDto(n: NotificationRecord): NotificationDto {
  return {
    id: n.id, kind: n.kind, conversationId: n.conversation, messageId: n.messageId ?? null, actorId: n.actorId ?? null,
    data: n.data == null ? null : fromJson<Record<string, unknown>>(n.data), readAt: isoOrNull(n.readAt), createdAt: isoOrNull(n.createdAt)!,
  };
}

/** SQL: whether the person in `u` (a users row) is notified of `kind` (SQL text): active, not a bot, not muted. */
export const notifiable = (u: string, kind: string) =>
  `${u}.active and ${u}.role <> 'bot' and not (${u}.muted_notifications @> jsonb_build_array(${kind}))`;

/**
 * SQL: a lateral join (`unread`) with the person's unread counts (`unread_count`, `unread_mentions`) after a statement
 * that wrote the notifications in `written` (a CTE with `user_id` and `kind`). The counts come from the person's row of
 * notification_counts, which the statement's own triggers move only after it, so its own rows are added. `user`: the
 * person's id.
 */
export const unreadAfter = (user: string, written: string) => `cross join lateral (
    select (coalesce(k.unread, 0) + (select count(*) from ${written} w where w.user_id = ${user}))::int as unread_count,
      (coalesce(k.unread_mentions, 0) + (select count(*) from ${written} w where w.user_id = ${user} and w.kind = 'mention'))::int as unread_mentions
    from (select 1) one left join notification_counts k on k.user_id = ${user}) unread`;
