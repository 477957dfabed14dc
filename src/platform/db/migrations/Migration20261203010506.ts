// Issue 24: teams, custom attributes, macros, automation rules and their log, CSAT surveys; a conversation's team,
// attributes and mute (in its search vector and its conversation.updated webhook).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203010506 extends Migration {

  override name = 'Migration20261203010506';

  override up(): void | Promise<void> {
    this.addSql(`create table "teams" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(100) not null, "description" varchar(500) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "teams" add constraint "teams_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "automation_rules" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "event" text not null, "conditions" jsonb not null, "actions" jsonb not null, "active" boolean not null default true, "acts_as_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "automation_rules_tenant_event_index" on "automation_rules" ("tenant_id", "event") where active;`);

    this.addSql(`create table "automation_runs" ("id" uuid not null, "tenant_id" uuid not null, "rule_id" uuid not null, "event_key" varchar(300) not null, "conversation_id" uuid null, "outcome" text not null, "details" jsonb null, "ran_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "automation_runs_tenant_time_index" on "automation_runs" ("tenant_id", "ran_at" desc, "id" desc);`);
    this.addSql(`alter table "automation_runs" add constraint "automation_runs_rule_event_unique" unique ("rule_id", "event_key");`);

    this.addSql(`create table "attribute_definitions" ("id" uuid not null, "tenant_id" uuid not null, "applies_to" text not null, "key" varchar(64) not null, "label" varchar(200) not null, "type" text not null, "options" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "attribute_definitions" add constraint "attribute_definitions_tenant_key_unique" unique ("tenant_id", "applies_to", "key");`);

    this.addSql(`create table "team_members" ("id" uuid not null, "tenant_id" uuid not null, "team_id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "team_members_user_index" on "team_members" ("user_id");`);
    this.addSql(`alter table "team_members" add constraint "team_members_team_user_unique" unique ("team_id", "user_id");`);

    this.addSql(`create table "macros" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "owner_id" uuid null, "actions" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "csat_surveys" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "inbox_id" uuid not null, "agent_id" uuid null, "team_id" uuid null, "resolved_at" timestamptz not null, "sent_at" timestamptz not null, "rating" smallint null, "comment" text null, "source" text null, "answered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "csat_surveys_tenant_answered_index" on "csat_surveys" ("tenant_id", "answered_at") where answered_at is not null;`);
    this.addSql(`alter table "csat_surveys" add constraint "csat_surveys_conversation_resolution_unique" unique ("conversation_id", "resolved_at");`);

    this.addSql(`alter table "inboxes" add "csat_survey" boolean not null default false, add "csat_message" varchar(1000) null;`);

    this.addSql(`alter table "contacts" add "custom_attributes" jsonb not null default '{}';`);

    this.addSql(`alter table "conversations" add "team_id" uuid null, add "custom_attributes" jsonb not null default '{}', add "muted" boolean not null default false;`);
    this.addSql(`alter table "conversations" add constraint "conversations_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete set null;`);
    this.addSql(`create index "conversations_team_index" on "conversations" ("tenant_id", "team_id") where team_id is not null;`);

    this.addSql(`alter table "teams" add constraint "teams_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "teams" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "teams" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "automation_rules" add constraint "automation_rules_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "automation_rules" add constraint "automation_rules_acts_as_id_foreign" foreign key ("acts_as_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "automation_rules" add constraint "automation_rules_event_check" check ("event" in ('conversation.created', 'message.created', 'conversation.updated', 'sla.warning', 'sla.breach'));`);
    this.addSql(`alter table "automation_rules" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "automation_rules" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "automation_runs" add constraint "automation_runs_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "automation_runs" add constraint "automation_runs_rule_id_foreign" foreign key ("rule_id") references "automation_rules" ("id") on delete cascade;`);
    this.addSql(`alter table "automation_runs" add constraint "automation_runs_outcome_check" check ("outcome" in ('running', 'done', 'failed'));`);
    this.addSql(`alter table "automation_runs" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "automation_runs" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "attribute_definitions" add constraint "attribute_definitions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "attribute_definitions" add constraint "attribute_definitions_applies_to_check" check ("applies_to" in ('contact', 'conversation'));`);
    this.addSql(`alter table "attribute_definitions" add constraint "attribute_definitions_type_check" check ("type" in ('text', 'number', 'date', 'list', 'checkbox'));`);
    this.addSql(`alter table "attribute_definitions" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "attribute_definitions" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "team_members" add constraint "team_members_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "team_members" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "team_members" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "macros" add constraint "macros_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "macros" add constraint "macros_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "macros" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "macros" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "csat_surveys" add constraint "csat_surveys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "csat_surveys" add constraint "csat_surveys_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "csat_surveys" add constraint "csat_surveys_rating_check" check (((rating >= 1) AND (rating <= 5)));`);
    this.addSql(`alter table "csat_surveys" add constraint "csat_surveys_source_check" check ("source" in ('link', 'inbound'));`);
    this.addSql(`alter table "csat_surveys" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "csat_surveys" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    // The new columns take part in conversation.updated and in the conversations' search index.
    this.addSql(`create or replace function "conversations_webhook_conversation_updated_fn"() returns trigger as \$\$ begin
      if not exists (select 1 from webhooks w where w.active and w.events @> '["conversation.updated"]'::jsonb) then return null; end if;
      insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
    select gen_random_uuid(), s.tenant_id, w.id, s.event_id, 'conversation.updated', s.id, s.id, 'pending', 0, now(), clock_timestamp()
    from (select *, gen_random_uuid() as event_id from (select n.* from new_rows n join old_rows o on o.id = n.id where o.status is distinct from n.status or o.assignee_id is distinct from n.assignee_id or o.priority is distinct from n.priority or o.team_id is distinct from n.team_id or o.custom_attributes is distinct from n.custom_attributes or o.muted is distinct from n.muted or o.subject is distinct from n.subject or o.snoozed_until is distinct from n.snoozed_until or o.entity_type is distinct from n.entity_type or o.entity_id is distinct from n.entity_id or o.required_skills is distinct from n.required_skills or o.language is distinct from n.language or o.first_response_breached_at is distinct from n.first_response_breached_at or o.next_response_breached_at is distinct from n.next_response_breached_at or o.resolution_breached_at is distinct from n.resolution_breached_at) src) s
    join webhooks w on w.tenant_id = s.tenant_id and w.active and w.events @> '["conversation.updated"]'::jsonb;
      return null; end; \$\$ language plpgsql;`);
    this.addSql(`drop index if exists "conversations_search_index";`);
    this.addSql(`create index "conversations_search_index" on "conversations" using gin ((to_tsvector('simple'::regconfig, coalesce("subject", '')) || jsonb_to_tsvector('simple'::regconfig, "custom_attributes", '["string", "numeric"]'))) where subject is not null or custom_attributes <> '{}'::jsonb;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create or replace function "conversations_webhook_conversation_updated_fn"() returns trigger as \$\$ begin
      if not exists (select 1 from webhooks w where w.active and w.events @> '["conversation.updated"]'::jsonb) then return null; end if;
      insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
    select gen_random_uuid(), s.tenant_id, w.id, s.event_id, 'conversation.updated', s.id, s.id, 'pending', 0, now(), clock_timestamp()
    from (select *, gen_random_uuid() as event_id from (select n.* from new_rows n join old_rows o on o.id = n.id where o.status is distinct from n.status or o.assignee_id is distinct from n.assignee_id or o.priority is distinct from n.priority or o.subject is distinct from n.subject or o.snoozed_until is distinct from n.snoozed_until or o.entity_type is distinct from n.entity_type or o.entity_id is distinct from n.entity_id or o.required_skills is distinct from n.required_skills or o.language is distinct from n.language or o.first_response_breached_at is distinct from n.first_response_breached_at or o.next_response_breached_at is distinct from n.next_response_breached_at or o.resolution_breached_at is distinct from n.resolution_breached_at) src) s
    join webhooks w on w.tenant_id = s.tenant_id and w.active and w.events @> '["conversation.updated"]'::jsonb;
      return null; end; \$\$ language plpgsql;`);
    this.addSql(`drop index if exists "conversations_search_index";`);
    this.addSql(`create index "conversations_search_index" on "conversations" using gin (to_tsvector('simple'::regconfig, coalesce("subject", ''))) where subject is not null;`);

    this.addSql(`alter table "team_members" drop constraint "team_members_team_id_foreign";`);
    this.addSql(`alter table "conversations" drop constraint "conversations_team_id_foreign";`);
    this.addSql(`alter table "automation_runs" drop constraint "automation_runs_rule_id_foreign";`);

    this.addSql(`drop table if exists "teams" cascade;`);
    this.addSql(`drop table if exists "automation_rules" cascade;`);
    this.addSql(`drop table if exists "automation_runs" cascade;`);
    this.addSql(`drop table if exists "attribute_definitions" cascade;`);
    this.addSql(`drop table if exists "team_members" cascade;`);
    this.addSql(`drop table if exists "macros" cascade;`);
    this.addSql(`drop table if exists "csat_surveys" cascade;`);

    this.addSql(`alter table "contacts" drop column "custom_attributes";`);

    this.addSql(`drop index "conversations_team_index";`);
    this.addSql(`alter table "conversations" drop column "team_id", drop column "custom_attributes", drop column "muted";`);

    this.addSql(`alter table "inboxes" drop column "csat_survey", drop column "csat_message";`);
  }

}
