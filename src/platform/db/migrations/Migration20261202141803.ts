import { Migration } from '@mikro-orm/migrations';

// The send path writes less: no tenant or inbox foreign key on messages (the conversation's bind both), partial
// indexes where a column is often empty (on messages, and on conversations, whose every index each send
// rewrites), a block-range index for time-windowed reports, and no timeline row per message (the timeline
// reads the messages).
export class Migration20261202141803 extends Migration {

  override name = 'Migration20261202141803';

  override up(): void | Promise<void> {
    this.addSql(`alter table "messages" drop constraint "messages_inbox_id_foreign";`);
    this.addSql(`alter table "messages" drop constraint "messages_tenant_id_foreign";`);

    this.addSql(`drop index "messages_contact_sent_index";`);
    this.addSql(`drop index "messages_conversation_author_index";`);
    this.addSql(`create index "messages_contact_sent_index" on "messages" ("contact_id", "sent_at") where contact_id is not null;`);
    this.addSql(`create index "messages_conversation_author_index" on "messages" ("conversation_id", "author_id") where author_id is not null;`);
    this.addSql(`alter table "messages" drop constraint "messages_conversation_client_message_unique";`);
    this.addSql(`create unique index "messages_conversation_client_message_unique" on "messages" ("conversation_id", "client_message_id") where client_message_id is not null;`);
    this.addSql(`alter table "messages" drop constraint "messages_inbox_external_unique";`);
    this.addSql(`create unique index "messages_inbox_external_unique" on "messages" ("inbox_id", "external_id") where external_id is not null;`);
    this.addSql(`delete from "activities" where "kind" like 'message.%';`);

    this.addSql(`drop index "conversations_inbox_contact_status_index";`);
    this.addSql(`drop index "conversations_tenant_assignee_status_index";`);
    this.addSql(`drop index "conversations_tenant_entity_index";`);
    this.addSql(`create index "conversations_tenant_assignee_status_index" on "conversations" ("tenant_id", "assignee_id", "status") where assignee_id is not null;`);
    this.addSql(`create index "conversations_tenant_entity_index" on "conversations" ("tenant_id", "entity_type", "entity_id") where entity_type is not null;`);
    this.addSql(`alter table "conversations" drop constraint "conversations_inbox_thread_unique";`);
    this.addSql(`create unique index "conversations_inbox_thread_unique" on "conversations" ("inbox_id", "thread_external_id") where thread_external_id is not null;`);

    this.addSql(`drop index "messages_tenant_direction_sent_index";`);
    this.addSql(`create index "messages_tenant_inbound_sent_index" on "messages" ("tenant_id", "sent_at") where direction = 'inbound';`);
    this.addSql(`create index "messages_sent_brin" on "messages" using brin ("sent_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conversations_tenant_assignee_status_index";`);
    this.addSql(`drop index "conversations_tenant_entity_index";`);
    this.addSql(`create index "conversations_inbox_contact_status_index" on "conversations" ("inbox_id", "contact_id", "status");`);
    this.addSql(`create index "conversations_tenant_assignee_status_index" on "conversations" ("tenant_id", "assignee_id", "status");`);
    this.addSql(`create index "conversations_tenant_entity_index" on "conversations" ("tenant_id", "entity_type", "entity_id");`);
    this.addSql(`drop index "conversations_inbox_thread_unique";`);
    this.addSql(`alter table "conversations" add constraint "conversations_inbox_thread_unique" unique ("inbox_id", "thread_external_id");`);
    this.addSql(`drop index "messages_tenant_inbound_sent_index";`);
    this.addSql(`drop index "messages_sent_brin";`);
    this.addSql(`create index "messages_tenant_direction_sent_index" on "messages" ("tenant_id", "direction", "sent_at");`);
    this.addSql(`insert into "activities" ("id", "tenant_id", "entity_type", "entity_id", "conversation_id", "kind", "ref_id", "actor_id", "occurred_at")
      select gen_random_uuid(), m.tenant_id, coalesce(c.entity_type, 'conversation'), coalesce(c.entity_id, c.id::text), c.id, 'message.' || m.direction, m.id, m.author_id, m.created_at
      from "messages" m join "conversations" c on c.id = m.conversation_id;`);
    this.addSql(`drop index "messages_conversation_client_message_unique";`);
    this.addSql(`alter table "messages" add constraint "messages_conversation_client_message_unique" unique ("conversation_id", "client_message_id");`);
    this.addSql(`drop index "messages_inbox_external_unique";`);
    this.addSql(`alter table "messages" add constraint "messages_inbox_external_unique" unique ("inbox_id", "external_id");`);
    this.addSql(`drop index "messages_contact_sent_index";`);
    this.addSql(`drop index "messages_conversation_author_index";`);
    this.addSql(`alter table "messages" add constraint "messages_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on update no action on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete cascade;`);
    this.addSql(`create index "messages_contact_sent_index" on "messages" ("contact_id", "sent_at");`);
    this.addSql(`create index "messages_conversation_author_index" on "messages" ("conversation_id", "author_id");`);
  }

}
