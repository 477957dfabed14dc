// Each person's unread notifications, kept by statement triggers on notifications, so that writing one answers the
// person's unread counts from a row instead of counting every unread notification they have (half a millisecond
// per notification for an agent with a few hundred unread, inside round robin's stamp under the inbox lock).
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef } from './common.ts';
import { User } from './user.entity.ts';

export const NotificationCountSchema = defineEntity({
  name: 'NotificationCount',
  tableName: 'notification_counts',
  properties: {
    user: () => p.manyToOne(User).mapToPk().primary().deleteRule('cascade'),
    tenant: tenantRef(),
    unread: p.integer().default(0),
    unreadMentions: p.integer().default(0),
  },
  ...tenantScoped,
});
export class NotificationCount extends NotificationCountSchema.class {}
NotificationCountSchema.setClass(NotificationCount);

const FN = '"notifications_count_fn"';

/** The end of the statement for a change of read state or a deletion: each person's change `d` applied, their rows
 * locked in id order first. */
const APPLY_CHANGES = `l as (select c.user_id from notification_counts c where c.user_id in (select user_id from d) order by c.user_id for update)
        update notification_counts c set unread = c.unread + d.unread, unread_mentions = c.unread_mentions + d.mentions
          from d where c.user_id = d.user_id and (select count(*) from l) >= 0;`;

/**
 * The counting triggers on notifications: once per statement, over its transition tables, each person's change added
 * in one write per person. An insert adds; a change of read state (marked read, or unread again) or a deletion (a
 * conversation's, a person's) takes the unread ones gone off and adds those unread again. People's rows are written in
 * id order (an ordered upsert, or locked in order first), so two statements that count for the same people cannot
 * deadlock on their counts. Written as whole DDL like the outbox triggers (a transition table needs a REFERENCING
 * clause); the first also (re)creates the function the three share.
 */
export const notificationCountTriggers = [
  {
    name: 'notifications_count_insert', events: ['insert' as const],
    expression: `create or replace function ${FN}() returns trigger as $$ begin
      if tg_op = 'INSERT' then
        insert into notification_counts (user_id, tenant_id, unread, unread_mentions)
          select user_id, tenant_id, count(*), count(*) filter (where kind = 'mention') from new_rows
          where read_at is null group by user_id, tenant_id order by user_id
          on conflict (user_id) do update set unread = notification_counts.unread + excluded.unread,
            unread_mentions = notification_counts.unread_mentions + excluded.unread_mentions;
        return null;
      end if;
      if tg_op = 'UPDATE' then
        with d as (
          select n.user_id, sum(case when n.read_at is null then 1 else -1 end) as unread,
            sum(case when n.kind <> 'mention' then 0 when n.read_at is null then 1 else -1 end) as mentions
          from new_rows n join old_rows o on o.id = n.id where (o.read_at is null) <> (n.read_at is null) group by n.user_id
        ),
        ${APPLY_CHANGES}
      else
        with d as (
          select user_id, -count(*) as unread, -count(*) filter (where kind = 'mention') as mentions
          from old_rows where read_at is null group by user_id
        ),
        ${APPLY_CHANGES}
      end if;
      return null; end; $$ language plpgsql;
    create trigger "notifications_count_insert" after insert on "notifications" referencing new table as new_rows
      for each statement execute function ${FN}();`,
  },
  {
    name: 'notifications_count_update', events: ['update' as const],
    expression: `create trigger "notifications_count_update" after update on "notifications"
      referencing old table as old_rows new table as new_rows for each statement execute function ${FN}();`,
  },
  {
    name: 'notifications_count_delete', events: ['delete' as const],
    expression: `create trigger "notifications_count_delete" after delete on "notifications" referencing old table as old_rows
      for each statement execute function ${FN}();`,
  },
].map((t) => ({ ...t, timing: 'after' as const, forEach: 'statement' as const }));
