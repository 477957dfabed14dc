// Fields the specifications name: canned responses' title, automated replies' reply type and metadata, SLA
// policies' description and active flag, channels' address and connected account, campaign recipients' times.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202200235 extends Migration {

  override name = 'Migration20261202200235';

  override up(): void | Promise<void> {
    this.addSql(`alter table "sla_policies" add "description" text null, add "is_active" boolean not null default true;`);

    this.addSql(`alter table "inboxes" add "address" varchar(320) null, add "connected_account_id" varchar(255) null;`);

    this.addSql(`alter table "automated_replies" add "reply_type" text not null default 'text', add "reply_metadata" jsonb null;`);
    this.addSql(`alter table "automated_replies" add constraint "automated_replies_reply_type_check" check ("reply_type" in ('text', 'buttons', 'quick_replies'));`);

    this.addSql(`alter table "canned_responses" add "title" varchar(200) null;`);

    this.addSql(`alter table "campaign_recipients" add "sent_at" timestamptz null, add "delivered_at" timestamptz null, add "read_at" timestamptz null, add "failed_at" timestamptz null;`);
    // Recipients sent before: their message's time is when they were sent.
    this.addSql(`update "campaign_recipients" r set "sent_at" = m."created_at" from "messages" m where m."id" = r."message_id";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "automated_replies" drop constraint "automated_replies_reply_type_check";`);
    this.addSql(`alter table "automated_replies" drop column "reply_type", drop column "reply_metadata";`);

    this.addSql(`alter table "campaign_recipients" drop column "sent_at", drop column "delivered_at", drop column "read_at", drop column "failed_at";`);

    this.addSql(`alter table "canned_responses" drop column "title";`);

    this.addSql(`alter table "inboxes" drop column "address", drop column "connected_account_id";`);

    this.addSql(`alter table "sla_policies" drop column "description", drop column "is_active";`);
  }

}
