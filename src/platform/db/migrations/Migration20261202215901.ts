// Issue 22: statuses `new` and `archived`, attachment retention, and the tenant's default inbox visibility
// (`metadata` for tenants created from now on; tenants that exist keep sharing everything in new inboxes, as before).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202215901 extends Migration {

  override name = 'Migration20261202215901';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tenants" add "retention_attachments_days" int null default 90, add "default_inbox_visibility" text not null default 'share_everything';`);
    this.addSql(`alter table "tenants" alter column "default_inbox_visibility" set default 'metadata';`);
    this.addSql(`alter table "tenants" add constraint "tenants_default_inbox_visibility_check" check ("default_inbox_visibility" in ('metadata', 'subject', 'share_everything'));`);

    this.addSql(`alter table "inboxes" alter column "visibility" set default 'metadata';`);

    this.addSql(`alter table "conversations" drop constraint "conversations_status_check";`);
    this.addSql(`alter table "conversations" alter column "status" set default 'new';`);
    this.addSql(`alter table "conversations" add constraint "conversations_status_check" check ("status" in ('new', 'open', 'pending', 'snoozed', 'resolved', 'closed', 'archived'));`);
    this.addSql(`update "conversations" set "status" = 'archived' where "archived_at" is not null;`);

    this.addSql(`alter table "attachments" add "archived_at" timestamptz null;`);
    this.addSql(`create index "attachments_retention_index" on "attachments" ("created_at") where archived_at is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "attachments_retention_index";`);
    this.addSql(`alter table "attachments" drop column "archived_at";`);

    this.addSql(`alter table "conversations" drop constraint "conversations_status_check";`);
    this.addSql(`update "conversations" set "status" = case "status" when 'new' then 'open' when 'archived' then 'closed' else "status" end where "status" in ('new', 'archived');`);
    this.addSql(`alter table "conversations" alter column "status" set default 'open';`);
    this.addSql(`alter table "conversations" add constraint "conversations_status_check" check ("status" in ('open', 'pending', 'snoozed', 'resolved', 'closed'));`);

    this.addSql(`alter table "inboxes" alter column "visibility" set default 'share_everything';`);

    this.addSql(`alter table "tenants" drop constraint "tenants_default_inbox_visibility_check";`);
    this.addSql(`alter table "tenants" drop column "retention_attachments_days", drop column "default_inbox_visibility";`);
  }

}
