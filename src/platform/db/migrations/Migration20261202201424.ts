// Messages' fields from the specification: subject, type, per-status times and a failure's reason, and an
// updated_at the database keeps. Times of statuses reported before come from the audited status updates.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202201424 extends Migration {

  override name = 'Migration20261202201424';

  override up(): void | Promise<void> {
    this.addSql(`alter table "messages" add "subject" text null, add "type" text not null default 'text', add "delivered_at" timestamptz null, add "read_at" timestamptz null, add "failed_at" timestamptz null, add "error_message" text null, add "updated_at" timestamptz not null default now();`);
    this.addSql(`alter table "messages" add constraint "messages_type_check" check ("type" in ('text', 'image', 'video', 'audio', 'file', 'location', 'template', 'interactive'));`);
    for (const [status, column] of [['delivered', 'delivered_at'], ['read', 'read_at'], ['failed', 'failed_at']]) {
      this.addSql(`update "messages" m set "${column}" = u.at from (select message_id, min(at) as at from "message_status_updates"
        where status = '${status}' and applied group by message_id) u where u.message_id = m.id;`);
    }
    this.addSql(`update "messages" m set "error_message" = u.error from (select distinct on (message_id) message_id, error from "message_status_updates"
      where status = 'failed' and applied and error is not null order by message_id, at) u where u.message_id = m.id;`);
    this.addSql(`create or replace function "messages_messages_touch_updated_at_fn"() returns trigger as \$\$ begin new.updated_at := now(); return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "messages_touch_updated_at" BEFORE UPDATE on "messages" for each ROW execute function "messages_messages_touch_updated_at_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "messages" drop constraint "messages_type_check";`);
    this.addSql(`drop trigger if exists "messages_touch_updated_at" on "messages";`);
    this.addSql(`drop function if exists "messages_messages_touch_updated_at_fn"();`);
    this.addSql(`alter table "messages" drop column "subject", drop column "type", drop column "delivered_at", drop column "read_at", drop column "failed_at", drop column "error_message", drop column "updated_at";`);
  }

}
