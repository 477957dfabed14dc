// Issue 19: the live queue read every conversation of the table on each recomputation (a sequential scan: 37 ms
// at 200,000 conversations, growing with history); this index holds only the unassigned working ones it lists.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203093632 extends Migration {

  override name = 'Migration20261203093632';

  override up(): void | Promise<void> {
    this.addSql(`create index "conversations_unassigned_index" on "conversations" ("tenant_id", "inbox_id") where assignee_id is null and status in ('new', 'open', 'pending');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conversations_unassigned_index";`);
  }

}
