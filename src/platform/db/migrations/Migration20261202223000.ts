// Issue 19: the outbox triggers of conversations and assignments fire once per statement over its transition
// table instead of once per row: the SLA engine's stamps and the send statement's roll-ups no longer pay a
// plpgsql call per conversation row, and a statement finds no subscribed webhook with one probe.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202223000 extends Migration {

  override name = 'Migration20261202223000';

  override up(): void | Promise<void> {
    this.addSql(`drop trigger if exists "webhook_conversation_created" on "conversations";`);
    this.addSql(`create or replace function "conversations_webhook_conversation_created_fn"() returns trigger as \$\$ begin if not exists (select 1 from webhooks w where w.active and w.events @> '["conversation.created"]'::jsonb) then return null; end if; insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at) select gen_random_uuid(), s.tenant_id, w.id, s.event_id, 'conversation.created', s.id, s.id, 'pending', 0, now(), clock_timestamp() from (select *, gen_random_uuid() as event_id from (select n.* from new_rows n) src) s join webhooks w on w.tenant_id = s.tenant_id and w.active and w.events @> '["conversation.created"]'::jsonb; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_created" after insert on "conversations" referencing new table as new_rows for each statement execute function "conversations_webhook_conversation_created_fn"();`);
    this.addSql(`drop trigger if exists "webhook_conversation_updated" on "conversations";`);
    this.addSql(`create or replace function "conversations_webhook_conversation_updated_fn"() returns trigger as \$\$ begin if not exists (select 1 from webhooks w where w.active and w.events @> '["conversation.updated"]'::jsonb) then return null; end if; insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at) select gen_random_uuid(), s.tenant_id, w.id, s.event_id, 'conversation.updated', s.id, s.id, 'pending', 0, now(), clock_timestamp() from (select *, gen_random_uuid() as event_id from (select n.* from new_rows n join old_rows o on o.id = n.id where o.status is distinct from n.status or o.assignee_id is distinct from n.assignee_id or o.priority is distinct from n.priority or o.subject is distinct from n.subject or o.snoozed_until is distinct from n.snoozed_until or o.entity_type is distinct from n.entity_type or o.entity_id is distinct from n.entity_id or o.required_skills is distinct from n.required_skills or o.language is distinct from n.language or o.first_response_breached_at is distinct from n.first_response_breached_at or o.next_response_breached_at is distinct from n.next_response_breached_at or o.resolution_breached_at is distinct from n.resolution_breached_at) src) s join webhooks w on w.tenant_id = s.tenant_id and w.active and w.events @> '["conversation.updated"]'::jsonb; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_updated" after update on "conversations" referencing old table as old_rows new table as new_rows for each statement execute function "conversations_webhook_conversation_updated_fn"();`);
    this.addSql(`drop trigger if exists "webhook_conversation_assigned" on "conversation_assignments";`);
    this.addSql(`create or replace function "conversation_assignments_webhook_conversation_assigned_fn"() returns trigger as \$\$ begin if not exists (select 1 from webhooks w where w.active and w.events @> '["conversation.assigned"]'::jsonb) then return null; end if; insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at) select gen_random_uuid(), s.tenant_id, w.id, s.event_id, 'conversation.assigned', s.id, s.conversation_id, 'pending', 0, now(), clock_timestamp() from (select *, gen_random_uuid() as event_id from (select n.* from new_rows n) src) s join webhooks w on w.tenant_id = s.tenant_id and w.active and w.events @> '["conversation.assigned"]'::jsonb; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_assigned" after insert on "conversation_assignments" referencing new table as new_rows for each statement execute function "conversation_assignments_webhook_conversation_assigned_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "webhook_conversation_created" on "conversations";`);
    this.addSql(`create or replace function "conversations_webhook_conversation_created_fn"() returns trigger as \$\$ begin insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'conversation.created', new.id, new.id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["conversation.created"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_created" AFTER INSERT on "conversations" for each ROW execute function "conversations_webhook_conversation_created_fn"();`);
    this.addSql(`drop trigger if exists "webhook_conversation_updated" on "conversations";`);
    this.addSql(`create or replace function "conversations_webhook_conversation_updated_fn"() returns trigger as \$\$ begin if not (old.status is distinct from new.status or old.assignee_id is distinct from new.assignee_id or old.priority is distinct from new.priority or old.subject is distinct from new.subject or old.snoozed_until is distinct from new.snoozed_until or old.entity_type is distinct from new.entity_type or old.entity_id is distinct from new.entity_id or old.required_skills is distinct from new.required_skills or old.language is distinct from new.language or old.first_response_breached_at is distinct from new.first_response_breached_at or old.next_response_breached_at is distinct from new.next_response_breached_at or old.resolution_breached_at is distinct from new.resolution_breached_at) then return null; end if;       insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'conversation.updated', new.id, new.id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["conversation.updated"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_updated" AFTER UPDATE on "conversations" for each ROW execute function "conversations_webhook_conversation_updated_fn"();`);
    this.addSql(`drop trigger if exists "webhook_conversation_assigned" on "conversation_assignments";`);
    this.addSql(`create or replace function "conversation_assignments_webhook_conversation_assigned_fn"() returns trigger as \$\$ begin insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, 'conversation.assigned', new.id, new.conversation_id, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["conversation.assigned"]'::jsonb;       return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "webhook_conversation_assigned" AFTER INSERT on "conversation_assignments" for each ROW execute function "conversation_assignments_webhook_conversation_assigned_fn"();`);
  }

}
