import { Migration } from '@mikro-orm/migrations';

export class Migration20261202194939 extends Migration {

  override name = 'Migration20261202194939';

  override up(): void | Promise<void> {
    this.addSql(`alter table "contacts" add "merged_into_id" uuid null, add "merged_at" timestamptz null;`);
    this.addSql(`alter table "contacts" add constraint "contacts_merged_into_id_foreign" foreign key ("merged_into_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`create index "contacts_tenant_phone_index" on "contacts" ("tenant_id", "phone");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "contacts" drop constraint "contacts_merged_into_id_foreign";`);

    this.addSql(`drop index "contacts_tenant_phone_index";`);
    this.addSql(`alter table "contacts" drop column "merged_into_id", drop column "merged_at";`);
  }

}
