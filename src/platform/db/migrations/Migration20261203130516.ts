// Issue 19: each person's unread notification counts, kept by statement triggers, so that writing a notification (in
// round robin's stamp, under the inbox lock) reads a row instead of counting everything the person has unread.
// Counted once here from what exists.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203130516 extends Migration {

  override name = 'Migration20261203130516';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification_counts" ("user_id" uuid not null, "tenant_id" uuid not null, "unread" int not null default 0, "unread_mentions" int not null default 0, primary key ("user_id"));`);

    this.addSql(`create or replace function "notifications_count_fn"() returns trigger as \$\$ begin
      if tg_op = 'INSERT' then
        insert into notification_counts (user_id, tenant_id, unread, unread_mentions)
          select user_id, tenant_id, count(*), count(*) filter (where kind = 'mention') from new_rows
          where read_at is null group by user_id, tenant_id order by user_id
          on conflict (user_id) do update set unread = notification_counts.unread + excluded.unread,
            unread_mentions = notification_counts.unread_mentions + excluded.unread_mentions;         return null;       end if;       if tg_op = 'UPDATE' then
        with d as (
          select n.user_id, sum(case when n.read_at is null then 1 else -1 end) as unread,
            sum(case when n.kind <> 'mention' then 0 when n.read_at is null then 1 else -1 end) as mentions
          from new_rows n join old_rows o on o.id = n.id where (o.read_at is null) <> (n.read_at is null) group by n.user_id
        ),
        l as (select c.user_id from notification_counts c where c.user_id in (select user_id from d) order by c.user_id for update)
        update notification_counts c set unread = c.unread + d.unread, unread_mentions = c.unread_mentions + d.mentions
          from d where c.user_id = d.user_id and (select count(*) from l) >= 0;       else
        with d as (
          select user_id, -count(*) as unread, -count(*) filter (where kind = 'mention') as mentions
          from old_rows where read_at is null group by user_id
        ),
        l as (select c.user_id from notification_counts c where c.user_id in (select user_id from d) order by c.user_id for update)
        update notification_counts c set unread = c.unread + d.unread, unread_mentions = c.unread_mentions + d.mentions
          from d where c.user_id = d.user_id and (select count(*) from l) >= 0;       end if;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notifications_count_insert" after insert on "notifications" referencing new table as new_rows
      for each statement execute function "notifications_count_fn"();`);
    this.addSql(`create trigger "notifications_count_update" after update on "notifications"
      referencing old table as old_rows new table as new_rows for each statement execute function "notifications_count_fn"();`);
    this.addSql(`create trigger "notifications_count_delete" after delete on "notifications" referencing old table as old_rows
      for each statement execute function "notifications_count_fn"();`);

    this.addSql(`alter table "notification_counts" add constraint "notification_counts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification_counts" add constraint "notification_counts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_counts" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "notification_counts" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    // After the triggers: creating them locked the table against writes until this migration commits.
    this.addSql(`insert into notification_counts (user_id, tenant_id, unread, unread_mentions)
      select user_id, tenant_id, count(*), count(*) filter (where kind = 'mention') from notifications
      where read_at is null group by user_id, tenant_id;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification_counts" cascade;`);

    this.addSql(`drop trigger if exists "notifications_count_insert" on "notifications";`);
    this.addSql(`drop trigger if exists "notifications_count_update" on "notifications";`);
    this.addSql(`drop trigger if exists "notifications_count_delete" on "notifications";`);
    this.addSql(`drop function if exists "notifications_count_fn"();`);
  }

}
