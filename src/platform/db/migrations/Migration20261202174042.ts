import { Migration } from '@mikro-orm/migrations';

export class Migration20261202174042 extends Migration {

  override name = 'Migration20261202174042';

  override up(): void | Promise<void> {
    this.addSql(`create index "conversations_assignee_resolved_index" on "conversations" ("assignee_id", "inbox_id", "resolved_at") where resolved_at is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conversations_assignee_resolved_index";`);
  }

}
