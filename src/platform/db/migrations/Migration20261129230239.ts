import { Migration } from '@mikro-orm/migrations';

export class Migration20261129230239 extends Migration {

  override name = 'Migration20261129230239';

  override up(): void | Promise<void> {
    this.addSql(`alter table "inboxes" add "routing_rules" jsonb not null default '[]';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "inboxes" drop column "routing_rules";`);
  }

}
