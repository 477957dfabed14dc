import { Migration } from '@mikro-orm/migrations';

export class Migration20261123025504 extends Migration {

  override name = 'Migration20261123025504';

  override up(): void | Promise<void> {
    this.addSql(`create table "webhooks" ("id" uuid not null, "tenant_id" uuid not null, "url" varchar(2048) not null, "events" jsonb not null, "active" boolean not null default true, "secret" varchar(100) not null, "consecutive_failures" int not null default 0, "disabled_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "webhooks_tenant_index" on "webhooks" ("tenant_id");`);

    this.addSql(`create table "webhook_deliveries" ("id" uuid not null, "tenant_id" uuid not null, "webhook_id" uuid not null, "event_id" uuid not null, "event_type" varchar(64) not null, "subject_id" uuid not null, "ordering_key" uuid null, "status" text not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "locked_until" timestamptz null, "payload" text null, "last_status" int null, "last_error" varchar(500) null, "last_attempt_at" timestamptz null, "delivered_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "webhook_deliveries_due_index" on "webhook_deliveries" ("status", "next_attempt_at") where status in ('pending', 'sending');`);
    this.addSql(`create index "webhook_deliveries_order_index" on "webhook_deliveries" ("webhook_id", "ordering_key", "created_at");`);
    this.addSql(`create index "webhook_deliveries_list_index" on "webhook_deliveries" ("webhook_id", "created_at");`);

    this.addSql(`create or replace function "conversations_webhook_conversation_created_fn"() returns trigger as \$\$ begin insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'conversation.created', new.id, new.id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["conversation.created"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_created" AFTER INSERT on "conversations" for each ROW execute function "conversations_webhook_conversation_created_fn"();`);
    this.addSql(`create or replace function "conversations_webhook_conversation_updated_fn"() returns trigger as \$\$ begin if not (old.status is distinct from new.status or old.assignee_id is distinct from new.assignee_id or old.priority is distinct from new.priority or old.subject is distinct from new.subject or old.snoozed_until is distinct from new.snoozed_until or old.entity_type is distinct from new.entity_type or old.entity_id is distinct from new.entity_id or old.required_skills is distinct from new.required_skills or old.language is distinct from new.language or old.first_response_breached_at is distinct from new.first_response_breached_at or old.next_response_breached_at is distinct from new.next_response_breached_at or old.resolution_breached_at is distinct from new.resolution_breached_at) then return null; end if;       insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'conversation.updated', new.id, new.id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["conversation.updated"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_updated" AFTER UPDATE on "conversations" for each ROW execute function "conversations_webhook_conversation_updated_fn"();`);

    this.addSql(`create or replace function "sla_events_webhook_sla_breached_fn"() returns trigger as \$\$ begin if not (new.type = 'breach') then return null; end if;       insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'sla.breached', new.id, new.conversation_id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["sla.breached"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_sla_breached" AFTER INSERT on "sla_events" for each ROW execute function "sla_events_webhook_sla_breached_fn"();`);

    this.addSql(`create or replace function "messages_webhook_message_created_fn"() returns trigger as \$\$ begin insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'message.created', new.id, new.conversation_id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["message.created"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_message_created" AFTER INSERT on "messages" for each ROW execute function "messages_webhook_message_created_fn"();`);

    this.addSql(`create or replace function "conversation_assignments_webhook_conversation_assigned_fn"() returns trigger as \$\$ begin insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'conversation.assigned', new.id, new.conversation_id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["conversation.assigned"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_assigned" AFTER INSERT on "conversation_assignments" for each ROW execute function "conversation_assignments_webhook_conversation_assigned_fn"();`);

    this.addSql(`alter table "webhooks" add constraint "webhooks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "webhooks" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "webhooks" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_webhook_id_foreign" foreign key ("webhook_id") references "webhooks" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_status_check" check ("status" in ('pending', 'sending', 'delivered', 'failed'));`);
    this.addSql(`alter table "webhook_deliveries" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "webhook_deliveries" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_webhook_id_foreign";`);

    this.addSql(`drop table if exists "webhooks" cascade;`);
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);

    this.addSql(`drop trigger if exists "webhook_conversation_assigned" on "conversation_assignments";`);
    this.addSql(`drop function if exists "conversation_assignments_webhook_conversation_assigned_fn"();`);

    this.addSql(`drop trigger if exists "webhook_conversation_created" on "conversations";`);
    this.addSql(`drop function if exists "conversations_webhook_conversation_created_fn"();`);
    this.addSql(`drop trigger if exists "webhook_conversation_updated" on "conversations";`);
    this.addSql(`drop function if exists "conversations_webhook_conversation_updated_fn"();`);

    this.addSql(`drop trigger if exists "webhook_message_created" on "messages";`);
    this.addSql(`drop function if exists "messages_webhook_message_created_fn"();`);

    this.addSql(`drop trigger if exists "webhook_sla_breached" on "sla_events";`);
    this.addSql(`drop function if exists "sla_events_webhook_sla_breached_fn"();`);
  }

}
