// Row-level security on every tenant table (entities/rls.ts). The tenant role is cluster-wide, so it is created
// only where missing (several databases, or nodes migrating together, may race for it); the login role joins it
// so that a non-superuser owner can `set role` to it.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123014006 extends Migration {

  override name = 'Migration20261123014006';

  override up(): void | Promise<void> {
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'switchboard_tenant') then
        begin
          create role switchboard_tenant nologin;
        exception when duplicate_object or unique_violation then null;
        end;
      end if;
      if not pg_has_role(current_user, 'switchboard_tenant', 'member') then
        grant switchboard_tenant to current_user;
      end if;
    end $$;`);
    this.addSql(`grant usage on schema public to switchboard_tenant;`);
    this.addSql(`grant select, insert, update, delete on all tables in schema public to switchboard_tenant;`);
    this.addSql(`grant usage, select on all sequences in schema public to switchboard_tenant;`);
    this.addSql(`alter default privileges in schema public grant select, insert, update, delete on tables to switchboard_tenant;`);
    this.addSql(`alter default privileges in schema public grant usage, select on sequences to switchboard_tenant;`);

    this.addSql(`alter table "tenants" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "tenants" using (id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "tags" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "tags" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "sla_policies" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "sla_policies" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "inboxes" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "inboxes" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "contacts" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "contacts" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "identities" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "identities" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "automated_replies" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "automated_replies" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "users" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "users" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "inbox_members" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "inbox_members" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "conversations" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "conversations" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "sla_events" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "sla_events" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "read_cursors" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "read_cursors" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "messages" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "messages" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "message_status_updates" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "message_status_updates" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "message_recipients" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "message_recipients" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "attachments" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "attachments" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "conversation_tags" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "conversation_tags" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "conversation_grants" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "conversation_grants" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "conversation_assignments" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "conversation_assignments" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "canned_responses" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "canned_responses" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "campaigns" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "campaigns" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "campaign_recipients" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "campaign_recipients" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "api_keys" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "api_keys" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "activities" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "activities" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop policy "tenant_isolation" on "activities";`);

    this.addSql(`drop policy "tenant_isolation" on "api_keys";`);

    this.addSql(`drop policy "tenant_isolation" on "attachments";`);

    this.addSql(`drop policy "tenant_isolation" on "automated_replies";`);

    this.addSql(`drop policy "tenant_isolation" on "campaign_recipients";`);

    this.addSql(`drop policy "tenant_isolation" on "campaigns";`);

    this.addSql(`drop policy "tenant_isolation" on "canned_responses";`);

    this.addSql(`drop policy "tenant_isolation" on "contacts";`);

    this.addSql(`drop policy "tenant_isolation" on "conversation_assignments";`);

    this.addSql(`drop policy "tenant_isolation" on "conversation_grants";`);

    this.addSql(`drop policy "tenant_isolation" on "conversation_tags";`);

    this.addSql(`drop policy "tenant_isolation" on "conversations";`);

    this.addSql(`drop policy "tenant_isolation" on "identities";`);

    this.addSql(`drop policy "tenant_isolation" on "inbox_members";`);

    this.addSql(`drop policy "tenant_isolation" on "inboxes";`);

    this.addSql(`drop policy "tenant_isolation" on "message_recipients";`);

    this.addSql(`drop policy "tenant_isolation" on "message_status_updates";`);

    this.addSql(`drop policy "tenant_isolation" on "messages";`);

    this.addSql(`drop policy "tenant_isolation" on "read_cursors";`);

    this.addSql(`drop policy "tenant_isolation" on "sla_events";`);

    this.addSql(`drop policy "tenant_isolation" on "sla_policies";`);

    this.addSql(`drop policy "tenant_isolation" on "tags";`);

    this.addSql(`drop policy "tenant_isolation" on "tenants";`);

    this.addSql(`drop policy "tenant_isolation" on "users";`);

    this.addSql(`alter table "activities" disable row level security;`);

    this.addSql(`alter table "api_keys" disable row level security;`);

    this.addSql(`alter table "attachments" disable row level security;`);

    this.addSql(`alter table "automated_replies" disable row level security;`);

    this.addSql(`alter table "campaign_recipients" disable row level security;`);

    this.addSql(`alter table "campaigns" disable row level security;`);

    this.addSql(`alter table "canned_responses" disable row level security;`);

    this.addSql(`alter table "contacts" disable row level security;`);

    this.addSql(`alter table "conversation_assignments" disable row level security;`);

    this.addSql(`alter table "conversation_grants" disable row level security;`);

    this.addSql(`alter table "conversation_tags" disable row level security;`);

    this.addSql(`alter table "conversations" disable row level security;`);

    this.addSql(`alter table "identities" disable row level security;`);

    this.addSql(`alter table "inbox_members" disable row level security;`);

    this.addSql(`alter table "inboxes" disable row level security;`);

    this.addSql(`alter table "message_recipients" disable row level security;`);

    this.addSql(`alter table "message_status_updates" disable row level security;`);

    this.addSql(`alter table "messages" disable row level security;`);

    this.addSql(`alter table "read_cursors" disable row level security;`);

    this.addSql(`alter table "sla_events" disable row level security;`);

    this.addSql(`alter table "sla_policies" disable row level security;`);

    this.addSql(`alter table "tags" disable row level security;`);

    this.addSql(`alter table "tenants" disable row level security;`);

    this.addSql(`alter table "users" disable row level security;`);
  }

}
