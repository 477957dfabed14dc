// Issue 24: full-text search: expression GIN indexes over messages (stemmed per tenant), contacts and conversation subjects.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202230444 extends Migration {

  override name = 'Migration20261202230444';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tenants" add "search_language" text not null default 'english';`);
    this.addSql(`alter table "tenants" add constraint "tenants_search_language_check" check ("search_language" in ('simple', 'arabic', 'armenian', 'basque', 'catalan', 'danish', 'dutch', 'english', 'finnish', 'french', 'german', 'greek', 'hindi', 'hungarian', 'indonesian', 'irish', 'italian', 'lithuanian', 'nepali', 'norwegian', 'portuguese', 'romanian', 'russian', 'serbian', 'spanish', 'swedish', 'tamil', 'turkish', 'yiddish'));`);

    this.addSql(`create index "contacts_search_index" on "contacts" using gin (to_tsvector('simple'::regconfig, "name" || ' ' || coalesce("email", '') || ' ' || coalesce("phone", '')));`);

    this.addSql(`create index "conversations_search_index" on "conversations" using gin (to_tsvector('simple'::regconfig, coalesce("subject", ''))) where subject is not null;`);

    this.addSql(`alter table "messages" add "search_config" regconfig not null default 'english';`);
    this.addSql(`create index "messages_search_index" on "messages" using gin (to_tsvector("search_config", coalesce("subject", '') || ' ' || "body"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "contacts_search_index";`);

    this.addSql(`drop index "conversations_search_index";`);

    this.addSql(`drop index "messages_search_index";`);
    this.addSql(`alter table "messages" drop column "search_config";`);

    this.addSql(`alter table "tenants" drop constraint "tenants_search_language_check";`);
    this.addSql(`alter table "tenants" drop column "search_language";`);
  }

}
