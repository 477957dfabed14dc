// Writes a migration from the entities: `npm run migration:create` (the first run writes the initial one).
import { migrate, MIGRATIONS_PATH, openOrm } from './orm.ts';
import { readdir } from 'node:fs/promises';

const orm = await openOrm({ dataDir: ':memory:' });
try {
  const existing = (await readdir(MIGRATIONS_PATH)).filter((f) => f.endsWith('.ts'));
  await migrate(orm);
  const result = await orm.migrator.create(undefined, false, existing.length === 0);
  console.log(result.fileName ? `wrote ${result.fileName}` : 'no schema changes');
} finally {
  await orm.close();
}
