import { Migration } from '@mikro-orm/migrations';

// The hot writers check their own references and write their own webhook deliveries: no foreign keys on what
// the send statement and the SLA engine take from rows they hold locked, and one set-based outbox insert per
// statement instead of a trigger call per row.
export class Migration20261202145603 extends Migration {

  override name = 'Migration20261202145603';

  override up(): void | Promise<void> {
    this.addSql(`alter table "sla_events" drop constraint "sla_events_assignee_id_foreign";`);
    this.addSql(`alter table "sla_events" drop constraint "sla_events_conversation_id_foreign";`);
    this.addSql(`alter table "sla_events" drop constraint "sla_events_policy_id_foreign";`);
    this.addSql(`alter table "sla_events" drop constraint "sla_events_tenant_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_author_id_foreign";`);
    this.addSql(`alter table "messages" drop constraint "messages_conversation_id_foreign";`);

    this.addSql(`drop trigger if exists "webhook_sla_breached" on "sla_events";`);
    this.addSql(`drop function if exists "sla_events_webhook_sla_breached_fn"();`);

    this.addSql(`drop trigger if exists "webhook_message_created" on "messages";`);
    this.addSql(`drop function if exists "messages_webhook_message_created_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "messages" add constraint "messages_author_id_foreign" foreign key ("author_id") references "users" ("id") on update no action on delete set null;`);
    this.addSql(`alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update no action on delete cascade;`);
    this.addSql(`create or replace function "messages_webhook_message_created_fn"() returns trigger as \$\$ begin insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'message.created', new.id, new.conversation_id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["message.created"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_message_created" AFTER INSERT on "messages" for each ROW execute function "messages_webhook_message_created_fn"();`);

    this.addSql(`alter table "sla_events" add constraint "sla_events_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on update no action on delete set null;`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update no action on delete cascade;`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_policy_id_foreign" foreign key ("policy_id") references "sla_policies" ("id") on update no action on delete set null;`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete cascade;`);
    this.addSql(`create or replace function "sla_events_webhook_sla_breached_fn"() returns trigger as \$\$ begin if not (new.type = 'breach') then return null; end if;       insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'sla.breached', new.id, new.conversation_id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["sla.breached"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_sla_breached" AFTER INSERT on "sla_events" for each ROW execute function "sla_events_webhook_sla_breached_fn"();`);
  }

}
