// Issue 19: each agent's open conversations per inbox, kept by triggers, so that an agent's load is read from a few
// rows instead of counted from their conversations under the drain's lock. Counted once here from what exists.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203061633 extends Migration {

  override name = 'Migration20261203061633';

  override up(): void | Promise<void> {
    this.addSql(`create table "agent_loads" ("user_id" uuid not null, "inbox_id" uuid not null, "tenant_id" uuid not null, "open_count" int not null default 0, primary key ("user_id", "inbox_id"));`);

    this.addSql(`create or replace function "conversations_agent_load_fn"() returns trigger as \$\$ begin
      if tg_op <> 'INSERT' and old.assignee_id is not null and old.status in ('new', 'open', 'pending') then
        update agent_loads set open_count = open_count - 1 where user_id = old.assignee_id and inbox_id = old.inbox_id;
      end if;
      if tg_op <> 'DELETE' and new.assignee_id is not null and new.status in ('new', 'open', 'pending') then
        insert into agent_loads (user_id, inbox_id, tenant_id, open_count) values (new.assignee_id, new.inbox_id, new.tenant_id, 1)
          on conflict (user_id, inbox_id) do update set open_count = agent_loads.open_count + 1;
      end if;
      return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "conversations_agent_load_insert" after insert on "conversations" for each row
      when (new.assignee_id is not null and new.status in ('new', 'open', 'pending')) execute function "conversations_agent_load_fn"();`);
    this.addSql(`create trigger "conversations_agent_load_update" after update of assignee_id, status, inbox_id on "conversations" for each row
      when (old.assignee_id is distinct from new.assignee_id or old.inbox_id is distinct from new.inbox_id
        or (old.status in ('new', 'open', 'pending')) is distinct from (new.status in ('new', 'open', 'pending'))) execute function "conversations_agent_load_fn"();`);
    this.addSql(`create trigger "conversations_agent_load_delete" after delete on "conversations" for each row
      when (old.assignee_id is not null and old.status in ('new', 'open', 'pending')) execute function "conversations_agent_load_fn"();`);

    this.addSql(`alter table "agent_loads" add constraint "agent_loads_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "agent_loads" add constraint "agent_loads_inbox_id_foreign" foreign key ("inbox_id") references "inboxes" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "agent_loads" add constraint "agent_loads_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`);
    this.addSql(`alter table "agent_loads" enable row level security;`);
    this.addSql(`create policy "tenant_isolation" on "agent_loads" using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);`);

    // After the triggers: creating them locked the table against writes until this migration commits.
    this.addSql(`insert into agent_loads (user_id, inbox_id, tenant_id, open_count)
      select assignee_id, inbox_id, tenant_id, count(*) from conversations
      where assignee_id is not null and status in ('new', 'open', 'pending') group by assignee_id, inbox_id, tenant_id;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "agent_loads" cascade;`);

    this.addSql(`drop trigger if exists "conversations_agent_load_insert" on "conversations";`);
    this.addSql(`drop trigger if exists "conversations_agent_load_update" on "conversations";`);
    this.addSql(`drop trigger if exists "conversations_agent_load_delete" on "conversations";`);
    this.addSql(`drop function if exists "conversations_agent_load_fn"();`);
  }

}
