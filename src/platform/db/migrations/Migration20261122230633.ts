import { Migration } from '@mikro-orm/migrations';

export class Migration20261122230633 extends Migration {

  override name = 'Migration20261122230633';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "tokens_revoked_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop column "tokens_revoked_at";`);
  }

}
