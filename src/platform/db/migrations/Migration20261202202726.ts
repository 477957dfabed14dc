// Retention: a tenant's days before done conversations move to the archive (180 by default, null for never),
// the archive time on conversations, and the indexes of the daily scan and of the archive list.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202202726 extends Migration {

  override name = 'Migration20261202202726';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tenants" add "retention_conversations_days" int null default 180;`);

    this.addSql(`alter table "conversations" add "archived_at" timestamptz null;`);
    this.addSql(`create index "conversations_retention_index" on "conversations" ("resolved_at") where status in ('resolved', 'closed') and archived_at is null;`);
    this.addSql(`create index "conversations_archive_index" on "conversations" ("tenant_id", "archived_at") where archived_at is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conversations_retention_index";`);
    this.addSql(`drop index "conversations_archive_index";`);
    this.addSql(`alter table "conversations" drop column "archived_at";`);

    this.addSql(`alter table "tenants" drop column "retention_conversations_days";`);
  }

}
