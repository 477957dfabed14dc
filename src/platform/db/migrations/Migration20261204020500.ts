// Issue 19: the live queue listed each inbox's first 200 waiting conversations by reading and sorting every unassigned
// working conversation of the tenant (15–28 ms with 6,600 waiting in an inbox without round robin). The index of
// unassigned work now holds them per inbox in the list's order, so the list reads 200 rows per inbox.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261204020500 extends Migration {

  override name = 'Migration20261204020500';

  override up(): void | Promise<void> {
    this.addSql(`drop index "conversations_unassigned_index";`);
    this.addSql(`create index "conversations_unassigned_index" on "conversations" ("tenant_id", "inbox_id", (coalesce("waiting_since", "created_at")), "id") where assignee_id is null and status in ('new', 'open', 'pending');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conversations_unassigned_index";`);
    this.addSql(`create index "conversations_unassigned_index" on "conversations" ("tenant_id", "inbox_id") where assignee_id is null and status in ('new', 'open', 'pending');`);
  }

}
