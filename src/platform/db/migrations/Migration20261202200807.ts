// Deletion by admins: messages keep a tombstone (deleted_at, deleted_by), and a restrictive policy lets only
// a statement run for an admin delete conversations or messages (entities/rls.ts).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202200807 extends Migration {

  override name = 'Migration20261202200807';

  override up(): void | Promise<void> {
    this.addSql(`create policy "admin_deletes" on "conversations" as restrictive for delete using (current_setting('app.user_role', true) = 'admin');`);

    this.addSql(`alter table "messages" add "deleted_at" timestamptz null, add "deleted_by_id" uuid null;`);
    this.addSql(`alter table "messages" add constraint "messages_deleted_by_id_foreign" foreign key ("deleted_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`create policy "admin_deletes" on "messages" as restrictive for delete using (current_setting('app.user_role', true) = 'admin');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop policy "admin_deletes" on "conversations";`);

    this.addSql(`drop policy "admin_deletes" on "messages";`);
    this.addSql(`alter table "messages" drop constraint "messages_deleted_by_id_foreign";`);

    this.addSql(`alter table "messages" drop column "deleted_at", drop column "deleted_by_id";`);
  }

}
