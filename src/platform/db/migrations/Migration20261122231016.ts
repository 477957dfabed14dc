import { Migration } from '@mikro-orm/migrations';

export class Migration20261122231016 extends Migration {

  override name = 'Migration20261122231016';

  override up(): void | Promise<void> {
    this.addSql(`alter table "messages" add "html_body_safe" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "messages" drop column "html_body_safe";`);
  }

}
