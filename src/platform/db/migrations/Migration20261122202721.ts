import { Migration } from '@mikro-orm/migrations';

// Issue 7's tables. automated_replies, canned_responses and message_recipients were never written before
// this, so their columns are reshaped in place.
export class Migration20261122202721 extends Migration {

  override name = 'Migration20261122202721';

  override up(): void | Promise<void> {
    this.addSql(`create table "conversation_grants" ("id" uuid not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "user_id" uuid not null, "granted_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "conversation_grants_user_index" on "conversation_grants" ("user_id");`);
    this.addSql(`alter table "conversation_grants" add constraint "conversation_grants_conversation_user_unique" unique ("conversation_id", "user_id");`);

    this.addSql(`create table "campaigns" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "inbox_id" uuid not null, "template" text not null, "status" text not null default 'sending', "created_by_id" uuid null, "created_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "campaigns_tenant_created_index" on "campaigns" ("tenant_id", "created_at");`);

    this.addSql(`create table "campaign_recipients" ("id" uuid not null, "tenant_id" uuid not null, "campaign_id" uuid not null, "contact_id" uuid not null, "conversation_id" uuid null, "message_id" uuid null, "status" text not null default 'pending', "error" text null, "claimed_at" timestamptz null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "campaign_recipients_campaign_status_index" on "campaign_recipients" ("campaign_id", "status");`);
    this.addSql(`create index "campaign_recipients_message_index" on "campaign_recipients" ("message_id");`);
    this.addSql(`create index "campaign_recipients_pending_index" on "campaign_recipients" ("claimed_at") where status = 'pending';`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_campaign_contact_unique" unique ("campaign_id", "contact_id");`);

    this.addSql(`alter table "canned_responses" drop constraint "canned_responses_inbox_id_foreign";`);

    this.addSql(`alter table "tags" add "description" varchar(500) null;`);

    this.addSql(`drop index "automated_replies_inbox_trigger_index";`);
    this.addSql(`alter table "automated_replies" drop constraint "automated_replies_trigger_check";`);
    this.addSql(`alter table "automated_replies" drop column "trigger", drop column "pattern";`);
    this.addSql(`alter table "automated_replies" add "name" varchar(200) not null, add "kind" text not null, add "keywords" jsonb null, add "priority" int not null default 0, add "channels" jsonb null, add "active_hours" jsonb null, add "business_hours" jsonb null, add "updated_at" timestamptz not null;`);
    this.addSql(`alter table "automated_replies" rename column "active" to "enabled";`);
    this.addSql(`create index "automated_replies_tenant_priority_index" on "automated_replies" ("tenant_id", "priority");`);
    this.addSql(`alter table "automated_replies" add constraint "automated_replies_kind_check" check ("kind" in ('keyword', 'greeting', 'away'));`);

    this.addSql(`alter table "conversations" add "visibility" text not null default 'share_everything', add "last_inbound_at" timestamptz null, add "last_reply_at" timestamptz null;`);
    this.addSql(`create index "conversations_awaiting_reply_index" on "conversations" ("tenant_id", "last_inbound_at") where status = 'open' and last_inbound_at is not null;`);
    this.addSql(`create index "conversations_tenant_contact_index" on "conversations" ("tenant_id", "contact_id");`);
    this.addSql(`alter table "conversations" add constraint "conversations_visibility_check" check ("visibility" in ('metadata', 'subject', 'share_everything'));`);
    // Conversations that existed before: their inbox's visibility, and their latest inbound message and reply.
    this.addSql(`update "conversations" c set "visibility" = i."visibility" from "inboxes" i where i."id" = c."inbox_id" and i."visibility" <> 'share_everything';`);
    this.addSql(`update "conversations" c set "last_inbound_at" = (select max(m."sent_at") from "messages" m where m."conversation_id" = c."id" and m."direction" = 'inbound'), "last_reply_at" = (select max(m."sent_at") from "messages" m where m."conversation_id" = c."id" and m."direction" = 'outbound' and m."sender_type" in ('user', 'bot'));`);

    this.addSql(`alter table "messages" add "pinned_at" timestamptz null, add "pinned_by_id" uuid null;`);
    this.addSql(`alter table "messages" add constraint "messages_pinned_by_id_foreign" foreign key ("pinned_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`create index "messages_conversation_author_index" on "messages" ("conversation_id", "author_id");`);

    this.addSql(`drop index "message_recipients_user_index";`);
    this.addSql(`drop index "message_recipients_contact_index";`);
    this.addSql(`alter table "message_recipients" add "conversation_id" uuid not null;`);
    this.addSql(`alter table "message_recipients" add constraint "message_recipients_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`create index "message_recipients_conversation_user_index" on "message_recipients" ("conversation_id", "user_id");`);
    this.addSql(`create index "message_recipients_contact_index" on "message_recipients" ("contact_id", "conversation_id");`);

    this.addSql(`alter table "canned_responses" drop constraint "canned_responses_tenant_code_unique";`);
    this.addSql(`alter table "canned_responses" add "category" varchar(100) null, add "channels" jsonb null, add "usage_count" int not null default 0, add "last_used_at" timestamptz null, add "updated_at" timestamptz not null;`);
    this.addSql(`alter table "canned_responses" rename column "short_code" to "shortcut";`);
    this.addSql(`alter table "canned_responses" rename column "content" to "body";`);
    this.addSql(`alter table "canned_responses" rename column "inbox_id" to "owner_id";`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`create index "canned_responses_shortcut_prefix_index" on "canned_responses" ("tenant_id", "shortcut" text_pattern_ops);`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_tenant_shortcut_unique" unique ("tenant_id", "shortcut");`);

    this.addSql(`alter table "conversation_grants" add constraint "conversation_grants_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_grants" add constraint "conversation_grants_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_grants" add constraint "conversation_grants_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_grants" add constraint "conversation_grants_granted_by_id_foreign" foreign key ("granted_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "campaigns" add constraint "campaigns_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on delete cascade;`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_status_check" check ("status" in ('sending', 'done'));`);

    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete set null;`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_message_id_foreign" foreign key ("message_id") references "messages" ("id") on delete set null;`);
    this.addSql(`alter table "campaign_recipients" add constraint "campaign_recipients_status_check" check ("status" in ('pending', 'sent', 'delivered', 'read', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "campaign_recipients" drop constraint "campaign_recipients_campaign_id_foreign";`);

    this.addSql(`drop table if exists "conversation_grants" cascade;`);
    this.addSql(`drop table if exists "campaigns" cascade;`);
    this.addSql(`drop table if exists "campaign_recipients" cascade;`);

    this.addSql(`alter table "canned_responses" drop constraint "canned_responses_owner_id_foreign";`);

    this.addSql(`alter table "message_recipients" drop constraint "message_recipients_conversation_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_pinned_by_id_foreign";`);

    this.addSql(`drop index "automated_replies_tenant_priority_index";`);
    this.addSql(`alter table "automated_replies" drop constraint "automated_replies_kind_check";`);
    this.addSql(`alter table "automated_replies" drop column "name", drop column "kind", drop column "keywords", drop column "priority", drop column "channels", drop column "active_hours", drop column "business_hours", drop column "updated_at";`);
    this.addSql(`alter table "automated_replies" add "trigger" text not null, add "pattern" varchar(500) null;`);
    this.addSql(`alter table "automated_replies" rename column "enabled" to "active";`);
    this.addSql(`create index "automated_replies_inbox_trigger_index" on "automated_replies" ("inbox_id", "trigger");`);
    this.addSql(`alter table "automated_replies" add constraint "automated_replies_trigger_check" check ("trigger" in ('conversation_created', 'outside_business_hours', 'keyword'));`);

    this.addSql(`drop index "canned_responses_shortcut_prefix_index";`);
    this.addSql(`alter table "canned_responses" drop constraint "canned_responses_tenant_shortcut_unique";`);
    this.addSql(`alter table "canned_responses" drop column "category", drop column "channels", drop column "usage_count", drop column "last_used_at", drop column "updated_at";`);
    this.addSql(`alter table "canned_responses" rename column "owner_id" to "inbox_id";`);
    this.addSql(`alter table "canned_responses" rename column "shortcut" to "short_code";`);
    this.addSql(`alter table "canned_responses" rename column "body" to "content";`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on update no action on delete cascade;`);
    this.addSql(`alter table "canned_responses" add constraint "canned_responses_tenant_code_unique" unique ("tenant_id", "short_code");`);

    this.addSql(`drop index "conversations_awaiting_reply_index";`);
    this.addSql(`drop index "conversations_tenant_contact_index";`);
    this.addSql(`alter table "conversations" drop constraint "conversations_visibility_check";`);
    this.addSql(`alter table "conversations" drop column "visibility", drop column "last_inbound_at", drop column "last_reply_at";`);

    this.addSql(`drop index "message_recipients_conversation_user_index";`);
    this.addSql(`drop index "message_recipients_contact_index";`);
    this.addSql(`alter table "message_recipients" drop column "conversation_id";`);
    this.addSql(`create index "message_recipients_user_index" on "message_recipients" ("user_id");`);
    this.addSql(`create index "message_recipients_contact_index" on "message_recipients" ("contact_id");`);

    this.addSql(`drop index "messages_conversation_author_index";`);
    this.addSql(`alter table "messages" drop column "pinned_at", drop column "pinned_by_id";`);

    this.addSql(`alter table "tags" drop column "description";`);
  }

}
