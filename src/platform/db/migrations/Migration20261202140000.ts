import { Migration } from '@mikro-orm/migrations';

// Per-tenant choice: keep remote images (tracking pixels included) in sanitized HTML bodies, off by default.
export class Migration20261202140000 extends Migration {

  override name = 'Migration20261202140000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tenants" add "remote_images" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tenants" drop column "remote_images";`);
  }

}
