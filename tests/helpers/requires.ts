// Suites that need what the environment may not have (PostgreSQL, Redis, PgBouncer, a redis-server binary):
// without it their tests are registered as skipped, so the tally counts them, their hooks do not run, and
// the output says why.
import { spawnSync } from 'node:child_process';
import { suite, type Test } from 'uvu';

export type Need = 'DATABASE_URL' | 'REDIS_URL' | 'PGBOUNCER_URL' | 'redis-server';

const has = (need: Need): boolean =>
  need === 'redis-server' ? spawnSync('redis-server', ['--version']).status === 0 : Boolean(process.env[need]);

/** A suite whose tests run when everything it needs is here, and are skipped (with a line saying why) when not. */
export function requiring(name: string, needs: Need[]): Test {
  const test = suite(name);
  const absent = needs.filter((need) => !has(need));
  if (!absent.length) return test;
  console.log(`skipped: ${name} (${absent.map((need) => (need === 'redis-server' ? 'no redis-server binary' : `no ${need}`)).join(', ')})`);
  // Nothing to set up or tear down for tests that will not run.
  const noHook = Object.assign(() => {}, { each: () => {} });
  const skipping = ((title: string, handler: Parameters<Test>[1]) => test.skip(title, handler)) as unknown as Test;
  return Object.assign(skipping, test, { only: test.skip, before: noHook, after: noHook });
}
