import { Migration } from '@mikro-orm/migrations';

export class Migration20261122184657 extends Migration {

  override name = 'Migration20261122184657';

  override up(): void | Promise<void> {
    this.addSql(`create table "tenants" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "tags" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(100) not null, "color" varchar(20) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "tags" add constraint "tags_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "sla_policies" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "first_response_minutes" double precision not null, "next_response_minutes" double precision null, "resolution_minutes" double precision not null, "warn_at_percent" int not null default 80, "business_hours" jsonb null, "is_default" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create unique index "sla_policies_one_default_per_tenant" on "sla_policies" ("tenant_id") where is_default;`);
    this.addSql(`alter table "sla_policies" add constraint "sla_policies_warn_check" check (warn_at_percent >= 1 and warn_at_percent <= 99);`);

    this.addSql(`create table "inboxes" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "channel" text not null, "visibility" text not null default 'share_everything', "auto_assign" boolean not null default false, "sla_policy_id" uuid null, "webhook_secret" varchar(100) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "inboxes_tenant_index" on "inboxes" ("tenant_id");`);
    this.addSql(`alter table "inboxes" add constraint "inboxes_channel_check" check ("channel" in ('email', 'sms', 'chat', 'phone', 'social', 'whatsapp', 'instagram', 'messenger', 'api'));`);
    this.addSql(`alter table "inboxes" add constraint "inboxes_visibility_check" check ("visibility" in ('metadata', 'subject', 'share_everything'));`);

    this.addSql(`create table "contacts" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "email" varchar(320) null, "phone" varchar(50) null, "company_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "contacts_tenant_email_index" on "contacts" ("tenant_id", "email");`);
    this.addSql(`create index "contacts_tenant_company_index" on "contacts" ("tenant_id", "company_id");`);

    this.addSql(`create table "identities" ("id" uuid not null, "tenant_id" uuid not null, "contact_id" uuid not null, "channel" text not null, "handle" varchar(320) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "identities_contact_index" on "identities" ("contact_id");`);
    this.addSql(`alter table "identities" add constraint "identities_tenant_channel_handle_unique" unique ("tenant_id", "channel", "handle");`);
    this.addSql(`alter table "identities" add constraint "identities_channel_check" check ("channel" in ('email', 'sms', 'chat', 'phone', 'social', 'whatsapp', 'instagram', 'messenger', 'api'));`);

    this.addSql(`create table "canned_responses" ("id" uuid not null, "tenant_id" uuid not null, "inbox_id" uuid null, "short_code" varchar(100) not null, "content" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_tenant_code_unique" unique ("tenant_id", "short_code");`);

    this.addSql(`create table "automated_replies" ("id" uuid not null, "tenant_id" uuid not null, "inbox_id" uuid null, "trigger" text not null, "pattern" varchar(500) null, "body" text not null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "automated_replies_inbox_trigger_index" on "automated_replies" ("inbox_id", "trigger");`);
    this.addSql(`alter table "automated_replies" add constraint "automated_replies_trigger_check" check ("trigger" in ('conversation_created', 'outside_business_hours', 'keyword'));`);

    this.addSql(`create table "users" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "email" varchar(320) null, "role" text not null, "capacity" int null, "presence_preference" text not null default 'online', "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "users_tenant_role_index" on "users" ("tenant_id", "role");`);
    this.addSql(`alter table "users" add constraint "users_tenant_email_unique" unique ("tenant_id", "email");`);
    this.addSql(`alter table "users" add constraint "users_capacity_check" check (capacity is null or capacity >= 0);`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'supervisor', 'agent', 'bot'));`);
    this.addSql(`alter table "users" add constraint "users_presence_preference_check" check ("presence_preference" in ('online', 'away', 'busy', 'offline'));`);

    this.addSql(`create table "inbox_members" ("id" uuid not null, "tenant_id" uuid not null, "inbox_id" uuid not null, "user_id" uuid not null, "position" int not null, "last_auto_assigned_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "inbox_members_user_index" on "inbox_members" ("user_id");`);
    this.addSql(`alter table "inbox_members" add constraint "inbox_members_inbox_user_unique" unique ("inbox_id", "user_id");`);

    this.addSql(`create table "conversations" ("id" uuid not null, "tenant_id" uuid not null, "inbox_id" uuid not null, "channel" text not null, "contact_id" uuid null, "entity_type" text null, "entity_id" varchar(255) null, "subject" varchar(500) null, "status" text not null default 'open', "priority" text not null default 'normal', "assignee_id" uuid null, "thread_external_id" varchar(255) null, "last_seq" int not null default 0, "last_message_at" timestamptz null, "last_message_preview" varchar(200) null, "last_direction" text null, "message_count" int not null default 0, "first_response_at" timestamptz null, "resolved_at" timestamptz null, "snoozed_until" timestamptz null, "waiting_since" timestamptz null, "sla_policy_id" uuid null, "sla_cycle" int not null default 1, "first_response_due_at" timestamptz null, "first_response_warn_at" timestamptz null, "sla_first_response_met_at" timestamptz null, "next_response_due_at" timestamptz null, "next_response_warn_at" timestamptz null, "sla_next_response_clock" int not null default 0, "resolution_due_at" timestamptz null, "resolution_warn_at" timestamptz null, "first_response_breached_at" timestamptz null, "next_response_breached_at" timestamptz null, "resolution_breached_at" timestamptz null, "sla_paused_at" timestamptz null, "sla_next_check_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "conversations_tenant_last_message_index" on "conversations" ("tenant_id", "last_message_at" desc, "id" desc);`);
    this.addSql(`create index "conversations_tenant_assignee_status_index" on "conversations" ("tenant_id", "assignee_id", "status");`);
    this.addSql(`create index "conversations_tenant_entity_index" on "conversations" ("tenant_id", "entity_type", "entity_id");`);
    this.addSql(`create index "conversations_inbox_contact_status_index" on "conversations" ("inbox_id", "contact_id", "status");`);
    this.addSql(`create index "conversations_sla_next_check_index" on "conversations" ("sla_next_check_at") where sla_next_check_at is not null;`);
    this.addSql(`create index "conversations_snoozed_index" on "conversations" ("snoozed_until") where status = 'snoozed';`);
    this.addSql(`create index "conversations_waiting_index" on "conversations" ("inbox_id", "waiting_since") where waiting_since is not null;`);
    this.addSql(`alter table "conversations" add constraint "conversations_inbox_thread_unique" unique ("inbox_id", "thread_external_id");`);
    this.addSql(`alter table "conversations" add constraint "conversations_entity_pair_check" check ((entity_type is null) = (entity_id is null));`);
    this.addSql(`alter table "conversations" add constraint "conversations_channel_check" check ("channel" in ('email', 'sms', 'chat', 'phone', 'social', 'whatsapp', 'instagram', 'messenger', 'api'));`);
    this.addSql(`alter table "conversations" add constraint "conversations_entity_type_check" check ("entity_type" in ('contact', 'company', 'deal', 'ticket', 'task', 'project'));`);
    this.addSql(`alter table "conversations" add constraint "conversations_status_check" check ("status" in ('open', 'pending', 'snoozed', 'resolved', 'closed'));`);
    this.addSql(`alter table "conversations" add constraint "conversations_priority_check" check ("priority" in ('low', 'normal', 'high', 'urgent'));`);
    this.addSql(`alter table "conversations" add constraint "conversations_last_direction_check" check ("last_direction" in ('inbound', 'outbound', 'internal'));`);

    this.addSql(`create table "sla_events" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "policy_id" uuid null, "kind" text not null, "type" text not null, "cycle" int not null, "due_at" timestamptz not null, "occurred_at" timestamptz not null, "assignee_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "sla_events_tenant_occurred_index" on "sla_events" ("tenant_id", "type", "occurred_at");`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_once" unique ("conversation_id", "kind", "type", "cycle");`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_kind_check" check ("kind" in ('first_response', 'next_response', 'resolution'));`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_type_check" check ("type" in ('warning', 'breach'));`);

    this.addSql(`create table "read_cursors" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "conversation_id" uuid not null, "last_read_seq" int not null default 0, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "read_cursors_conversation_index" on "read_cursors" ("conversation_id");`);
    this.addSql(`alter table "read_cursors" add constraint "read_cursors_user_conversation_unique" unique ("user_id", "conversation_id");`);

    this.addSql(`create table "messages" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "inbox_id" uuid not null, "seq" int not null, "direction" text not null, "sender_type" text not null, "author_id" uuid null, "contact_id" uuid null, "body" text not null, "html_body" text null, "status" text not null default 'sent', "client_message_id" varchar(255) null, "external_id" varchar(255) null, "metadata" jsonb null, "sent_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "messages_tenant_direction_sent_index" on "messages" ("tenant_id", "direction", "sent_at");`);
    this.addSql(`create index "messages_contact_sent_index" on "messages" ("contact_id", "sent_at");`);
    this.addSql(`alter table "messages" add constraint "messages_conversation_seq_unique" unique ("conversation_id", "seq");`);
    this.addSql(`alter table "messages" add constraint "messages_conversation_client_message_unique" unique ("conversation_id", "client_message_id");`);
    this.addSql(`alter table "messages" add constraint "messages_inbox_external_unique" unique ("inbox_id", "external_id");`);
    this.addSql(`alter table "messages" add constraint "messages_direction_check" check ("direction" in ('inbound', 'outbound', 'internal'));`);
    this.addSql(`alter table "messages" add constraint "messages_sender_type_check" check ("sender_type" in ('contact', 'user', 'bot', 'system'));`);
    this.addSql(`alter table "messages" add constraint "messages_status_check" check ("status" in ('pending', 'sent', 'delivered', 'read', 'failed'));`);

    this.addSql(`create table "message_status_updates" ("id" uuid not null, "tenant_id" uuid not null, "message_id" uuid not null, "status" text not null, "at" timestamptz not null, "error" text null, "applied" boolean not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "message_status_updates_message_index" on "message_status_updates" ("message_id");`);
    this.addSql(`alter table "message_status_updates" add constraint "message_status_updates_status_check" check ("status" in ('pending', 'sent', 'delivered', 'read', 'failed'));`);

    this.addSql(`create table "message_recipients" ("id" uuid not null, "tenant_id" uuid not null, "message_id" uuid not null, "role" text not null, "address" varchar(320) not null, "alias" varchar(200) null, "contact_id" uuid null, "user_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "message_recipients_message_index" on "message_recipients" ("message_id");`);
    this.addSql(`create index "message_recipients_contact_index" on "message_recipients" ("contact_id");`);
    this.addSql(`create index "message_recipients_user_index" on "message_recipients" ("user_id");`);
    this.addSql(`alter table "message_recipients" add constraint "message_recipients_role_check" check ("role" in ('from', 'to', 'cc', 'bcc'));`);

    this.addSql(`create table "attachments" ("id" uuid not null, "tenant_id" uuid not null, "message_id" uuid not null, "type" text not null, "url" varchar(2048) not null, "mime" varchar(255) null, "filename" varchar(255) null, "size" bigint null, "width" int null, "height" int null, "duration" double precision null, "thumbnail_url" varchar(2048) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "attachments_message_index" on "attachments" ("message_id");`);
    this.addSql(`alter table "attachments" add constraint "attachments_type_check" check ("type" in ('image', 'video', 'audio', 'file', 'location', 'other'));`);

    this.addSql(`create table "conversation_tags" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "tag_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "conversation_tags_tag_index" on "conversation_tags" ("tag_id");`);
    this.addSql(`alter table "conversation_tags" add constraint "conversation_tags_unique" unique ("conversation_id", "tag_id");`);

    this.addSql(`create table "conversation_assignments" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "assignee_id" uuid null, "previous_assignee_id" uuid null, "type" text not null, "by_user_id" uuid null, "reason" varchar(500) null, "assigned_at" timestamptz not null, "unassigned_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "conversation_assignments_conversation_index" on "conversation_assignments" ("conversation_id", "assigned_at");`);
    this.addSql(`create index "conversation_assignments_assignee_index" on "conversation_assignments" ("assignee_id", "assigned_at");`);
    this.addSql(`create unique index "conversation_assignments_one_open" on "conversation_assignments" ("conversation_id") where unassigned_at is null;`);
    this.addSql(`alter table "conversation_assignments" add constraint "conversation_assignments_type_check" check ("type" in ('manual', 'auto_round_robin', 'transfer', 'unassign', 'reassign_offline', 'reassign_timeout'));`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "key_hash" varchar(64) not null, "prefix" varchar(16) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);
    this.addSql(`create index "api_keys_user_index" on "api_keys" ("user_id");`);

    this.addSql(`create table "activities" ("id" uuid not null, "tenant_id" uuid not null, "entity_type" varchar(32) not null, "entity_id" varchar(255) not null, "conversation_id" uuid null, "kind" varchar(64) not null, "ref_id" uuid null, "actor_id" uuid null, "data" jsonb null, "occurred_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "activities_entity_timeline_index" on "activities" ("tenant_id", "entity_type", "entity_id", "occurred_at" DESC);`);
    this.addSql(`create index "activities_conversation_index" on "activities" ("conversation_id");`);

    this.addSql(`alter table "tags" add constraint "tags_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "sla_policies" add constraint "sla_policies_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "inboxes" add constraint "inboxes_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "inboxes" add constraint "inboxes_sla_policy_id_foreign" foreign key ("sla_policy_id") references "sla_policies" ("id") on delete set null;`);

    this.addSql(`alter table "contacts" add constraint "contacts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "identities" add constraint "identities_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "identities" add constraint "identities_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete cascade;`);

    this.addSql(`alter table "canned_responses" add constraint "canned_responses_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on delete cascade;`);

    this.addSql(`alter table "automated_replies" add constraint "automated_replies_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "automated_replies" add constraint "automated_replies_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on delete cascade;`);

    this.addSql(`alter table "users" add constraint "users_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);

    this.addSql(`alter table "inbox_members" add constraint "inbox_members_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "inbox_members" add constraint "inbox_members_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on delete cascade;`);
    this.addSql(`alter table "inbox_members" add constraint "inbox_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "conversations" add constraint "conversations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "conversations" add constraint "conversations_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on delete cascade;`);
    this.addSql(`alter table "conversations" add constraint "conversations_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "conversations" add constraint "conversations_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "conversations" add constraint "conversations_sla_policy_id_foreign" foreign key ("sla_policy_id") references "sla_policies" ("id") on delete set null;`);

    this.addSql(`alter table "sla_events" add constraint "sla_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_policy_id_foreign" foreign key ("policy_id") references "sla_policies" ("id") on delete set null;`);
    this.addSql(`alter table "sla_events" add constraint "sla_events_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "read_cursors" add constraint "read_cursors_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "read_cursors" add constraint "read_cursors_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "read_cursors" add constraint "read_cursors_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);

    this.addSql(`alter table "messages" add constraint "messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "messages" add constraint "messages_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);

    this.addSql(`alter table "message_status_updates" add constraint "message_status_updates_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "message_status_updates" add constraint "message_status_updates_message_id_foreign" foreign key ("message_id") references "messages" ("id") on delete cascade;`);

    this.addSql(`alter table "message_recipients" add constraint "message_recipients_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "message_recipients" add constraint "message_recipients_message_id_foreign" foreign key ("message_id") references "messages" ("id") on delete cascade;`);
    this.addSql(`alter table "message_recipients" add constraint "message_recipients_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "message_recipients" add constraint "message_recipients_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "attachments" add constraint "attachments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_message_id_foreign" foreign key ("message_id") references "messages" ("id") on delete cascade;`);

    this.addSql(`alter table "conversation_tags" add constraint "conversation_tags_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_tags" add constraint "conversation_tags_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_tags" add constraint "conversation_tags_tag_id_foreign" foreign key ("tag_id") references "tags" ("id") on delete cascade;`);

    this.addSql(`alter table "conversation_assignments" add constraint "conversation_assignments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_assignments" add constraint "conversation_assignments_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_assignments" add constraint "conversation_assignments_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "conversation_assignments" add constraint "conversation_assignments_previous_assignee_id_foreign" foreign key ("previous_assignee_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "conversation_assignments" add constraint "conversation_assignments_by_user_id_foreign" foreign key ("by_user_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "activities" add constraint "activities_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "activities" add constraint "activities_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "activities" add constraint "activities_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);
  }

}
