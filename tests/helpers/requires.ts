// Suites that need what the environment may not have (PostgreSQL, Redis, a redis-server binary): without it
// their tests are registered as skipped, so the tally counts them, and the output says why.
import { spawnSync } from 'node:child_process';
import type { Test } from 'uvu';

export type Need = 'DATABASE_URL' | 'REDIS_URL' | 'PGBOUNCER_URL' | 'redis-server';

const has = (need: Need): boolean =>
  need === 'redis-server' ? spawnSync('redis-server', ['--version']).status === 0 : Boolean(process.env[need]);

/** What of `needs` is missing here. */
export function missing(needs: Need[]): Need[] {
  return needs.filter((need) => !has(need));
}

/** The suite as is when everything it needs is here; else one whose tests are skipped, with a line saying why. */
export function requiring<T extends Test>(test: T, name: string, needs: Need[]): T {
  const absent = missing(needs);
  if (!absent.length) return test;
  console.log(`skipped: ${name} (${absent.map((need) => (need === 'redis-server' ? 'no redis-server binary' : `no ${need}`)).join(', ')})`);
  const skipping = ((title: string, handler: Parameters<T>[1]) => test.skip(title, handler)) as unknown as T;
  return Object.assign(skipping, test, { only: test.skip });
}
