// Notifications written in batches, one tenant's at a time: transfers or mentions that land together, or an
// SLA tick that warns thousands, writes their notifications in one statement per batch instead of four round
// trips each (the person's row, the insert in its own transaction, two counts). The statement skips people who
// are inactive, bots, or muted that kind, a conversation deleted meanwhile (so that one cannot fail the batch), and
// a `once` notification whose person has not read the last one of that kind about that conversation; it answers
// each person's unread counts. Then each person is told live.
import type { NotificationKind } from '../../contract/dto.ts';
import { notifiable, toNotificationDto, unreadAfter, type NotificationRecord } from '../../model/notification.mapper.ts';
import { statement } from '../../platform/db/statement.ts';
import type { TenantTransactions } from '../../platform/db/tenant-transaction.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { KeyedBatcher } from '../../platform/util/keyed-batcher.ts';

export interface NewNotification {
  tenantId: string;
  userId: string;
  kind: NotificationKind;
  conversationId: string;
  messageId?: string | null;
  actorId?: string | null;
  data?: Record<string, unknown> | null;
  /** Not again while the person has an unread one of this kind about this conversation. */
  once?: boolean;
}

/** Notifications written in one statement at most. */
const MAX_BATCH = 500;

// The counts are each person's row of notification_counts as it was before the statement, plus the batch's own rows.
const WRITE_NOTIFICATIONS = statement('switchboard_notifications_write_v2', `
  with v as (
    select * from jsonb_to_recordset(:items::jsonb) as v(id uuid, user_id uuid, kind text, conversation_id uuid,
      message_id uuid, actor_id uuid, data jsonb, once boolean)
  ),
  n as (
    insert into notifications (id, tenant_id, user_id, kind, conversation_id, message_id, actor_id, data, created_at)
    select v.id, u.tenant_id, v.user_id, v.kind, v.conversation_id, v.message_id, v.actor_id, v.data, :now::timestamptz
    from v join users u on u.id = v.user_id and u.tenant_id = :tenant::uuid
    where ${notifiable('u', 'v.kind')}
      and exists (select 1 from conversations c where c.id = v.conversation_id)
      and not (v.once and exists (select 1 from notifications x where x.user_id = v.user_id and x.kind = v.kind
        and x.conversation_id = v.conversation_id and x.read_at is null))
    returning id, user_id, kind, conversation_id, message_id, actor_id, data, created_at
  )
  select n.id, n.kind, n.conversation_id as conversation, n.message_id as "messageId", n.actor_id as "actorId", n.data,
    n.created_at as "createdAt", n.user_id, unread.unread_count, unread.unread_mentions
  from n ${unreadAfter('n.user_id', 'n')}`);

/** A written notification in the shape toNotificationDto reads, with its person and their unread counts. */
interface Written extends NotificationRecord {
  user_id: string;
  unread_count: number;
  unread_mentions: number;
}

export class NotificationWriter {
  readonly #bus: EventBus;
  readonly #transactions: TenantTransactions;
  readonly #batches = new KeyedBatcher<NewNotification, void>(MAX_BATCH, (tenantId, items) => this.#write(tenantId, items));

  constructor(bus: EventBus, transactions: TenantTransactions) {
    this.#bus = bus;
    this.#transactions = transactions;
  }

  /** Resolves once the notification is written (or skipped) and announced. */
  notify(input: NewNotification): Promise<void> {
    return this.#batches.push(input.tenantId, input);
  }

  async #write(tenantId: string, items: NewNotification[]): Promise<PromiseSettledResult<void>[]> {
    // Two `once` notifications of one batch would not see each other in the statement: the first one stands.
    const seen = new Set<string>();
    const rows = items.filter((n) => {
      if (!n.once) return true;
      const key = `${n.userId}|${n.kind}|${n.conversationId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }).map((n) => ({
      id: crypto.randomUUID(), user_id: n.userId, kind: n.kind, conversation_id: n.conversationId, message_id: n.messageId ?? null,
      actor_id: n.actorId ?? null, data: n.data ?? null, once: Boolean(n.once),
    }));
    const written = await this.#transactions(tenantId, (tx) =>
      tx.runLast<Written>(WRITE_NOTIFICATIONS, { items: JSON.stringify(rows), tenant: tenantId, now: new Date() }));
    for (const w of written) {
      this.#bus.publish({
        type: 'notification.created', tenantId, userId: w.user_id, notification: toNotificationDto(w),
        unreadCount: Number(w.unread_count), unreadMentions: Number(w.unread_mentions),
      });
    }
    return items.map(() => ({ status: 'fulfilled', value: undefined }));
  }
}

