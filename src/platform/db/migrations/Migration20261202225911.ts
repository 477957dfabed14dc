// Issue 24: notifications (and mentions, a kind of them) and the kinds each person muted.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202225911 extends Migration {

  override name = 'Migration20261202225911';

  override up(): void | Promise<void> {
    this.addSql(`create table "notifications" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "kind" text not null, "conversation_id" uuid not null, "message_id" uuid null, "actor_id" uuid null, "data" jsonb null, "read_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "notifications_user_time_index" on "notifications" ("user_id", "created_at" desc, "id" desc);`);
    this.addSql(`create index "notifications_unread_index" on "notifications" ("user_id", "kind") where read_at is null;`);

    this.addSql(`alter table "users" add "muted_notifications" jsonb not null default '[]';`);

    this.addSql(`alter table "notifications" add constraint "notifications_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('assigned', 'mention', 'sla_warning', 'customer_replied'));`);
    this.addSql(`alter table "notifications" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "notifications" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notifications" cascade;`);

    this.addSql(`alter table "users" drop column "muted_notifications";`);
  }

}
