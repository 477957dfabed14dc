// Attachments' platform address and metadata, indexed by message and type; a partial index of the messages a
// delivery monitor looks for (pending or failed), which messages that went out never enter.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202202517 extends Migration {

  override name = 'Migration20261202202517';

  override up(): void | Promise<void> {
    this.addSql(`create index "messages_status_created_index" on "messages" ("status", "created_at") where status in ('pending', 'failed');`);

    this.addSql(`alter table "attachments" add "platform_url" varchar(2048) null, add "metadata" jsonb null;`);
    // The new index first, so a message's attachments stay indexed throughout.
    this.addSql(`create index "attachments_message_type_index" on "attachments" ("message_id", "type");`);
    this.addSql(`drop index "attachments_message_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "attachments_message_type_index";`);
    this.addSql(`alter table "attachments" drop column "platform_url", drop column "metadata";`);
    this.addSql(`create index "attachments_message_index" on "attachments" ("message_id");`);

    this.addSql(`drop index "messages_status_created_index";`);
  }

}
