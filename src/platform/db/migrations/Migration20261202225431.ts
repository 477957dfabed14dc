// Issue 24: the audit log, append-only (a trigger refuses updates and deletes, whoever asks).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202225431 extends Migration {

  override name = 'Migration20261202225431';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_entries" ("id" uuid not null, "tenant_id" uuid not null, "actor_id" uuid null, "actor_name" varchar(200) not null, "actor_role" varchar(32) not null, "action" varchar(64) not null, "target_type" varchar(64) not null, "target_id" varchar(255) null, "details" jsonb null, "occurred_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "audit_entries_tenant_time_index" on "audit_entries" ("tenant_id", "occurred_at" desc, "id" desc);`);
    this.addSql(`create index "audit_entries_target_index" on "audit_entries" ("tenant_id", "target_type", "target_id");`);

    this.addSql(`alter table "audit_entries" add constraint "audit_entries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`create or replace function "audit_entries_audit_entries_append_only_fn"() returns trigger as \$\$ begin raise exception 'audit entries are never changed or removed'; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_entries_append_only" BEFORE UPDATE OR DELETE on "audit_entries" for each ROW execute function "audit_entries_audit_entries_append_only_fn"();`);
    this.addSql(`alter table "audit_entries" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "audit_entries" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_entries_append_only" on "audit_entries";`);
    this.addSql(`drop function if exists "audit_entries_audit_entries_append_only_fn"();`);
    this.addSql(`drop table if exists "audit_entries" cascade;`);
  }

}
