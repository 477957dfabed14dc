// Conversations: the company they belong to (backfilled from their contact), channel type, metadata, the
// identity they came from, and an updated_at that every change moves (a trigger for writers that do not set
// it). Messages: the identity an inbound message came from.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202201943 extends Migration {

  override name = 'Migration20261202201943';

  override up(): void | Promise<void> {
    this.addSql(`alter table "conversations" add "company_id" varchar(255) null, add "channel_type" text not null default 'direct', add "metadata" jsonb null, add "source_channel" text null, add "source_handle" varchar(320) null;`);
    this.addSql(`create index "conversations_tenant_company_index" on "conversations" ("tenant_id", "company_id") where company_id is not null;`);
    this.addSql(`alter table "conversations" add constraint "conversations_channel_type_check" check ("channel_type" in ('direct', 'group', 'broadcast'));`);
    this.addSql(`alter table "conversations" add constraint "conversations_source_channel_check" check ("source_channel" in ('email', 'sms', 'chat', 'phone', 'social', 'whatsapp', 'instagram', 'messenger', 'api'));`);
    this.addSql(`update "conversations" c set "company_id" = ct."company_id" from "contacts" ct where ct."id" = c."contact_id" and ct."company_id" is not null;`);
    this.addSql(`create or replace function "conversations_conversations_touch_updated_at_fn"() returns trigger as \$\$ begin new.updated_at := now(); return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "conversations_touch_updated_at" BEFORE UPDATE on "conversations" for each ROW
  when (new.updated_at is not distinct from old.updated_at) execute function "conversations_conversations_touch_updated_at_fn"();`);

    this.addSql(`alter table "messages" add "source_channel" text null, add "source_handle" varchar(320) null;`);
    this.addSql(`alter table "messages" add constraint "messages_source_channel_check" check ("source_channel" in ('email', 'sms', 'chat', 'phone', 'social', 'whatsapp', 'instagram', 'messenger', 'api'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conversations_tenant_company_index";`);
    this.addSql(`alter table "conversations" drop constraint "conversations_channel_type_check";`);
    this.addSql(`alter table "conversations" drop constraint "conversations_source_channel_check";`);
    this.addSql(`drop trigger if exists "conversations_touch_updated_at" on "conversations";`);
    this.addSql(`drop function if exists "conversations_conversations_touch_updated_at_fn"();`);
    this.addSql(`alter table "conversations" drop column "company_id", drop column "channel_type", drop column "metadata", drop column "source_channel", drop column "source_handle";`);

    this.addSql(`alter table "messages" drop constraint "messages_source_channel_check";`);
    this.addSql(`alter table "messages" drop column "source_channel", drop column "source_handle";`);
  }

}
