// SLA policies' conditions: which new conversations a policy applies to when their inbox names none.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202205250 extends Migration {

  override name = 'Migration20261202205250';

  override up(): void | Promise<void> {
    this.addSql(`alter table "sla_policies" add "conditions" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "sla_policies" drop column "conditions";`);
  }

}
