import { Migration } from '@mikro-orm/migrations';

export class Migration20261123021442 extends Migration {

  override name = 'Migration20261123021442';

  override up(): void | Promise<void> {
    this.addSql(`alter table "inboxes" add "reassign_after_seconds" int not null default 120, add "reassign_when_away" boolean not null default false, add "reassign_timeout_minutes" double precision null, add "skill_fallback_seconds" int not null default 120, add "conversation_weight" double precision not null default 1, add "wrap_up_seconds" int not null default 0, add "default_skills" jsonb not null default '[]', add "default_language" varchar(35) null;`);

    this.addSql(`alter table "users" add "presence" text not null default 'offline', add "presence_changed_at" timestamptz null, add "skills" jsonb not null default '[]', add "languages" jsonb not null default '[]';`);
    this.addSql(`alter table "users" add constraint "users_presence_check" check ("presence" in ('online', 'away', 'busy', 'offline'));`);

    this.addSql(`alter table "conversations" add "required_skills" jsonb not null default '[]', add "language" varchar(35) null;`);

    this.addSql(`alter table "messages" add "whisper_to_id" uuid null;`);
    this.addSql(`alter table "messages" add constraint "messages_whisper_to_id_foreign" foreign key ("whisper_to_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "messages" drop constraint "messages_whisper_to_id_foreign";`);

    this.addSql(`alter table "conversations" drop column "required_skills", drop column "language";`);

    this.addSql(`alter table "inboxes" drop column "reassign_after_seconds", drop column "reassign_when_away", drop column "reassign_timeout_minutes", drop column "skill_fallback_seconds", drop column "conversation_weight", drop column "wrap_up_seconds", drop column "default_skills", drop column "default_language";`);

    this.addSql(`alter table "messages" drop column "whisper_to_id";`);

    this.addSql(`alter table "users" drop constraint "users_presence_check";`);
    this.addSql(`alter table "users" drop column "presence", drop column "presence_changed_at", drop column "skills", drop column "languages";`);
  }

}
